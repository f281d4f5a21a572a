package screening_test

import (
	"slices"
	"testing"

	"github.com/corridor-network/corridor/screening"
)

// TestUnicodeEvasions screens SECHIN, Igor (OFAC 16692) written in ways a
// reader takes for the ASCII name: each must hit the entry and hold, with
// the flags that say how it was written.
func TestUnicodeEvasions(t *testing.T) {
	s := mustSampleScreener(t)
	const (
		bidi   = screening.FlagBidiControl
		mixed  = screening.FlagMixedScript
		hidden = screening.FlagInvisible
		styled = screening.FlagStyled
	)
	tests := []struct {
		name, party string
		flags       []screening.Flag
	}{
		{"ASCII", "Igor Sechin", nil},
		{"Fullwidth", "Ｉｇｏｒ Ｓｅｃｈｉｎ", []screening.Flag{styled}},
		{"MathBold", "𝐈𝐠𝐨𝐫 𝐒𝐞𝐜𝐡𝐢𝐧", []screening.Flag{styled}},
		{"MathScript", "𝓘𝓰𝓸𝓻 𝓢𝓮𝓬𝓱𝓲𝓷", []screening.Flag{styled}},
		{"Circled", "ⒾⒼⓄⓇ ⓈⒺⒸⒽⒾⓃ", []screening.Flag{styled}},
		{"SmallCapitals", "ɪɢᴏʀ ꜱᴇᴄʜɪɴ", nil},
		{"HangulFillerSpace", "Igor\u3164Sechin", []screening.Flag{hidden}},
		{"HalfwidthFillerSpace", "Igor\uFFA0Sechin", []screening.Flag{hidden}},
		{"BrailleBlankSpace", "Igor\u2800Sechin", []screening.Flag{hidden}},
		{"ZeroWidthSpace", "Igor Se\u200Bchin", []screening.Flag{hidden}},
		{"SoftHyphen", "Igor Sech\u00ADin", []screening.Flag{hidden}},
		{"WordJoiner", "I\u2060gor Sechin", []screening.Flag{hidden}},
		{"RightToLeftOverride", "\u202Enihces rogI", []screening.Flag{bidi}},
		{"OverrideInside", "Igor \u202Enihces\u202C", []screening.Flag{bidi}},
		{"Isolate", "\u2067Igor Sechin\u2069", []screening.Flag{bidi}},
		{"CyrillicLookalikeInLatin", "Igor Sеchin", []screening.Flag{mixed}},              // Cyrillic е.
		{"GreekLookalikeInLatin", "Ιgor Sechin", []screening.Flag{mixed}},                 // Greek Ι.
		{"LatinLookalikeInCyrillic", "Игорь Сeчин", []screening.Flag{mixed}},              // Latin e.
		{"WholeWordLookalikes", "Ѕесһіո Igor", []screening.Flag{mixed}},                   // Cyrillic and an Armenian ո.
		{"Everything", "Ｉｇｏｒ\u3164Sеch\u200Bin", []screening.Flag{mixed, hidden, styled}}, // Fullwidth, filler, Cyrillic е, ZWSP.
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := s.Screen(screening.Party{Name: tt.party})
			if !r.Hold || len(r.Hits) == 0 || r.Hits[0].EntryID != "16692" {
				t.Fatalf("Screen(%q) = hold %v, hits %+v; want a hold on ofac-csv 16692", tt.party, r.Hold, r.Hits)
			}
			if !slices.Equal(r.Flags, tt.flags) {
				t.Errorf("Screen(%q).Flags = %q; want %q", tt.party, r.Flags, tt.flags)
			}
		})
	}
}

// TestBidiHolds: bidi controls hold a name that matches nothing, and the
// other flags do not.
func TestBidiHolds(t *testing.T) {
	s := mustSampleScreener(t)
	tests := []struct {
		party string
		hold  bool
	}{
		{"\u202EahsraS luhaR", true},
		{"Rahul \u2066Sharma\u2069", true},
		{"Rahul\u3164Sharma", false},
		{"Rаhul Sharma", false}, // Cyrillic а: flagged, but matches no one.
		{"Ｒａｈｕｌ Ｓｈａｒｍａ", false},
	}
	for _, tt := range tests {
		r := s.Screen(screening.Party{Name: tt.party})
		if r.Hold != tt.hold || len(r.Hits) > 0 && r.Hits[0].Score >= s.Config().Threshold {
			t.Errorf("Screen(%q) = hold %v, flags %q, hits %+v; want hold %v and no hit", tt.party, r.Hold, r.Flags, r.Hits, tt.hold)
		}
		if len(r.Flags) == 0 {
			t.Errorf("Screen(%q) has no flags", tt.party)
		}
	}
}

func TestNormalizeUnicode(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Ｓｈｃｈｅｒｂａｋｏｖ Ｉｇｏｒ", "shcherbakov igor"},
		{"𝐒𝐡𝐜𝐡𝐞𝐫𝐛𝐚𝐤𝐨𝐯", "shcherbakov"},
		{"ꜱʜᴄʜᴇʀʙᴀᴋᴏᴠ", "shcherbakov"},
		{"Shcherbakov\u3164Igor", "shcherbakov igor"},
		{"Shcherbаkov", "shcherbakov"},       // Cyrillic а.
		{"Щербaков", "shcherbakov"},          // Latin a in Cyrillic.
		{"ﬁrst ﬂoor", "first floor"},         // Ligatures.
		{"ﺻﺪﺍﻡ", "sdam"},                     // Arabic presentation forms.
		{"Rahul\u200DSharma", "rahulsharma"}, // A joiner joins.
		{"АВВА", "avva"},                     // Cyrillic as written first...
		{"\u202Evokabrehchs", "vokabrehchs"}, // ... and a bidi name as stored first.
	}
	for _, tt := range tests {
		if got := screening.Normalize(tt.in); len(got) == 0 || got[0] != tt.want {
			t.Errorf("Normalize(%q) = %q; want first %q", tt.in, got, tt.want)
		}
	}
	if got := screening.Normalize("АВВА"); !slices.Contains(got, "abba") {
		t.Errorf("Normalize(АВВА) = %q; want the Latin reading abba among them", got)
	}
	if got := screening.Normalize("\u202Evokabrehchs"); !slices.Contains(got, "shcherbakov") {
		t.Errorf("Normalize(RLO vokabrehchs) = %q; want the shown order shcherbakov among them", got)
	}
}
