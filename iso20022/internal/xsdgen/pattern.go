package main

import (
	"fmt"
	"math/bits"
)

// pattern is an XSD pattern compiled into a Glushkov automaton over ASCII:
// each position is one character class of the expanded expression, and a
// string matches when a run of positions, each following the last, spells
// it. XSD patterns are anchored, so the run must start in first and end in
// last. At most 64 positions, so that sets of them are uint64 bit masks.
type pattern struct {
	text     string
	nullable bool
	first    uint64
	last     uint64
	class    [][2]uint64 // Per position: the ASCII characters it takes.
	follow   []uint64    // Per position: the positions that may come next.
}

// reNode is a parsed pattern: a leaf class, a sequence or a repetition.
type reNode struct {
	class    *[2]uint64
	seq      []*reNode
	sub      *reNode
	min, max int // Repetition of sub.
}

// reParser reads the subset of XSD regular expressions the schemas use:
// literals, escapes (\+ \- \. \( \)), classes with ranges, groups, and the
// quantifiers ?, {n} and {n,m}.
type reParser struct {
	s   string
	pos int
}

func compilePattern(text string) (*pattern, error) {
	p := &reParser{s: text}
	n, err := p.seq()
	if err != nil {
		return nil, fmt.Errorf("pattern %q: %w", text, err)
	}
	if p.pos != len(p.s) {
		return nil, fmt.Errorf("pattern %q: unexpected %q at %d", text, p.s[p.pos], p.pos)
	}
	pat := &pattern{text: text}
	r, err := pat.build(n)
	if err != nil {
		return nil, fmt.Errorf("pattern %q: %w", text, err)
	}
	pat.nullable, pat.first, pat.last = r.nullable, r.first, r.last
	return pat, nil
}

func (p *reParser) seq() (*reNode, error) {
	n := &reNode{}
	for p.pos < len(p.s) && p.s[p.pos] != ')' {
		a, err := p.atom()
		if err != nil {
			return nil, err
		}
		a, err = p.quantifier(a)
		if err != nil {
			return nil, err
		}
		n.seq = append(n.seq, a)
	}
	return n, nil
}

func (p *reParser) atom() (*reNode, error) {
	c := p.s[p.pos]
	p.pos++
	switch c {
	case '(':
		n, err := p.seq()
		if err != nil {
			return nil, err
		}
		if p.pos >= len(p.s) || p.s[p.pos] != ')' {
			return nil, fmt.Errorf("unclosed group")
		}
		p.pos++
		return n, nil
	case '[':
		return p.class()
	case '\\':
		e, err := p.escape()
		if err != nil {
			return nil, err
		}
		return leaf(e, e), nil
	case '.', '*', '+', '|', '^', '$', '{', '}', '?', ']':
		return nil, fmt.Errorf("%q not supported", c)
	}
	return leaf(c, c), nil
}

func (p *reParser) escape() (byte, error) {
	if p.pos >= len(p.s) {
		return 0, fmt.Errorf("trailing backslash")
	}
	c := p.s[p.pos]
	p.pos++
	switch c {
	case '+', '-', '.', '(', ')', '[', ']', '{', '}', '\\', '?', '*', '|', '^', '$':
		return c, nil
	}
	return 0, fmt.Errorf("escape \\%c not supported", c)
}

func leaf(lo, hi byte) *reNode {
	var set [2]uint64
	addRange(&set, lo, hi)
	return &reNode{class: &set}
}

func addRange(set *[2]uint64, lo, hi byte) {
	for c := int(lo); c <= int(hi); c++ {
		set[c/64] |= 1 << (c % 64)
	}
}

func (p *reParser) class() (*reNode, error) {
	var set [2]uint64
	for {
		if p.pos >= len(p.s) {
			return nil, fmt.Errorf("unclosed class")
		}
		c := p.s[p.pos]
		p.pos++
		switch {
		case c == ']':
			return &reNode{class: &set}, nil
		case c == '\\':
			e, err := p.escape()
			if err != nil {
				return nil, err
			}
			c = e
		case c == '^' || c == '[' || c >= 0x80:
			return nil, fmt.Errorf("class with %q not supported", c)
		}
		if p.pos+1 < len(p.s) && p.s[p.pos] == '-' && p.s[p.pos+1] != ']' {
			hi := p.s[p.pos+1]
			p.pos += 2
			if hi < c || hi == '\\' {
				return nil, fmt.Errorf("bad range %c-%c", c, hi)
			}
			addRange(&set, c, hi)
			continue
		}
		addRange(&set, c, c)
	}
}

func (p *reParser) quantifier(a *reNode) (*reNode, error) {
	if p.pos >= len(p.s) {
		return a, nil
	}
	switch p.s[p.pos] {
	case '?':
		p.pos++
		return &reNode{sub: a, min: 0, max: 1}, nil
	case '{':
		var lo, hi int
		end := p.pos
		for end < len(p.s) && p.s[end] != '}' {
			end++
		}
		q := p.s[p.pos : end+1]
		if _, err := fmt.Sscanf(q, "{%d,%d}", &lo, &hi); err != nil {
			if _, err := fmt.Sscanf(q, "{%d}", &lo); err != nil {
				return nil, fmt.Errorf("quantifier %q not supported", q)
			}
			hi = lo
		}
		if hi < lo || hi == 0 {
			return nil, fmt.Errorf("quantifier %q", q)
		}
		p.pos = end + 1
		return &reNode{sub: a, min: lo, max: hi}, nil
	}
	return a, nil
}

// glushkov is what build knows of a subexpression.
type glushkov struct {
	nullable    bool
	first, last uint64
}

// build makes fresh positions for n (a repetition instantiates its
// subexpression once per copy) and returns its nullable, first and last.
func (pat *pattern) build(n *reNode) (glushkov, error) {
	switch {
	case n.class != nil:
		if len(pat.class) == 64 {
			return glushkov{}, fmt.Errorf("more than 64 positions")
		}
		pat.class = append(pat.class, *n.class)
		pat.follow = append(pat.follow, 0)
		bit := uint64(1) << (len(pat.class) - 1)
		return glushkov{first: bit, last: bit}, nil
	case n.sub != nil:
		return pat.repeat(n.sub, n.min, n.max)
	}
	g := glushkov{nullable: true}
	for _, c := range n.seq {
		h, err := pat.build(c)
		if err != nil {
			return glushkov{}, err
		}
		g = pat.concat(g, h)
	}
	return g, nil
}

// repeat builds sub{min,max} as min copies followed by max-min nested
// optional copies: a{1,3} is a(a(a)?)?.
func (pat *pattern) repeat(sub *reNode, min, max int) (glushkov, error) {
	g := glushkov{nullable: true}
	for i := 0; i < min; i++ {
		h, err := pat.build(sub)
		if err != nil {
			return glushkov{}, err
		}
		g = pat.concat(g, h)
	}
	if max == min {
		return g, nil
	}
	h, err := pat.build(sub)
	if err != nil {
		return glushkov{}, err
	}
	rest, err := pat.repeat(sub, 0, max-min-1)
	if err != nil {
		return glushkov{}, err
	}
	opt := pat.concat(h, rest)
	opt.nullable = true
	return pat.concat(g, opt), nil
}

// concat is the Glushkov sequence of a then b.
func (pat *pattern) concat(a, b glushkov) glushkov {
	for m := a.last; m != 0; m &= m - 1 {
		pat.follow[bits.TrailingZeros64(m)] |= b.first
	}
	g := glushkov{nullable: a.nullable && b.nullable, first: a.first, last: b.last}
	if a.nullable {
		g.first |= b.first
	}
	if b.nullable {
		g.last |= a.last
	}
	return g
}

// match runs the automaton, as the generated tables will; the generator
// checks every pattern against examples with it.
func (pat *pattern) match(s string) bool {
	if s == "" {
		return pat.nullable
	}
	var cur uint64
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x80 {
			return false
		}
		cand := pat.first
		if i > 0 {
			cand = 0
			for m := cur; m != 0; m &= m - 1 {
				cand |= pat.follow[bits.TrailingZeros64(m)]
			}
		}
		cur = 0
		for m := cand; m != 0; m &= m - 1 {
			q := bits.TrailingZeros64(m)
			if pat.class[q][c/64]&(1<<(c%64)) != 0 {
				cur |= 1 << q
			}
		}
		if cur == 0 {
			return false
		}
	}
	return cur&pat.last != 0
}
