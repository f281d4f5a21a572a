// Package settlement holds the hub's settlement rules: sender limits and the
// urgent reserve with their limit queue, the RTGS liquidity queue with
// gridlock resolution, deferred net settlement cycles, and exact FX
// conversion with quotes and linked legs. It is pure and deterministic: the
// sequencer calls it with the ledger it owns, the time of the command and a
// source of transfer IDs; it does no I/O, reads no clock and never lets map
// order decide an output.
//
// Settlement moves money between banks, so it speaks of a payment's
// instructing agent (whose settlement account is debited) and instructed
// agent (whose account is credited), never of the debtor and creditor parties.
//
// # RTGS queue
//
// A payment settles gross at once when its instructing agent's available
// liquidity (balance plus credit limit) covers it and nothing of the same
// agent in the same currency is ahead of it; otherwise it waits in the Queue.
// Settlement order is priority (urgent before normal), then place in line
// (FIFO; an operator may move a payment to the front or back). FIFO is strict per
// instructing agent and currency, across both priorities: an agent's head
// payment that cannot settle blocks that agent's later payments (there is no
// FIFO by-passing), but never another agent's. An urgent payment overtakes its
// agent's queued normal payments; a normal payment never overtakes anything. Strict FIFO keeps the
// order participants and operators see the order things settle in, and it is
// what makes gridlock resolution find a unique largest set.
//
// # Limits and the reserve
//
// Before a normal payment enters the RTGS queue it passes the Gate, which
// holds each participant's Limits per currency: a multilateral limit (the
// most it pays all others in a business day), bilateral limits (the most it
// pays one counterparty) and an urgent reserve (liquidity only urgent
// payments may use). Urgent payments pass the gate; the hub lets returns
// pass too. Held says why a payment may not enter: a payment of the same
// instructing agent and currency waits ahead of it in the limit queue (FIFO,
// no by-passing); or, with limits set, the day's payments (counted by Enter
// from the moment each entered, per UTC business day) and this one would
// pass the multilateral or the bilateral limit; or the payment would not
// settle at once without the reserve: something of its agent waits in the
// RTGS queue in the currency, or it would take the available liquidity
// below the reserve. A held payment waits in the limit queue (Wait) until
// Admit lets it in, in order, once liquidity arrives, a limit is raised or a
// new business day starts; Expire rejects what is left at the cut-off
// (AM04). Gridlock resolution does not see the limit queue.
//
// # Gridlock resolution
//
// Resolve settles, per currency, the largest set of queued payments that can
// settle together once offset multilaterally: every participant's available
// liquidity plus its net position in the set (its incoming payments less its
// outgoing ones) is not negative. It starts from every queued payment and,
// while that sum is negative for some participant, removes that
// participant's last payments in settlement order (reverse FIFO, normal
// before urgent) until the sum is not; removing a payment lowers its instructed
// agent's net position, which may then need removals of its own. Because each agent keeps a prefix of its queue, the feasible sets are
// closed under union, so there is one greatest feasible set; the algorithm
// removes only payments outside it and so finds it: it is the largest both by
// count and by value among the sets that respect FIFO. It runs in time linear
// in the queue.
//
// The set settles atomically through the currency's technical account (a
// settlement-in-progress account with no floor that ends every resolution at
// zero): first every credit leg (technical account to instructed agent), then
// every debit leg (instructing agent to technical account). After the credits
// each instructing agent holds at least what it owes, so no debit can cross a floor; everything is checked
// before the first posting, so the postings cannot fail part way.
//
// # Deferred net settlement
//
// A Cycle accepts payments (ACCP) and at Close nets them per currency. A
// participant whose available liquidity cannot cover its net debit has the
// payments it instructed removed, latest accepted first, until it can; removals
// lower other participants' incoming, so the rule repeats until everyone is
// covered (the same algorithm as gridlock resolution, in acceptance order).
// Removed payments are rejected AM04. Net positions then move through the
// technical account: every participant with a net debit pays it in, then
// every participant with a net credit is paid it out.
//
// # FX
//
// Rates are exact decimals. A conversion rounds once, half-even, at the target
// currency's minor unit; the remainder (exact minus paid) is returned exactly,
// in 10^-RemainderScale of a minor unit, for the hub to book. A converted
// payment moves as two linked transfers through the hub's FX position
// accounts, both or neither.
//
// # Reason codes
//
// AM04 a queued payment not settled by its deadline (the cut-off), a payment
// still in the limit queue at the cut-off, and a payment removed from a net
// cycle; AC01 limits of a participant without an account in the currency;
// AG01 a bilateral limit on the participant itself, too many of them, or a
// limit out of range; DS02 a queued payment cancelled by its instructing
// agent or the operator; TM01 an expired quote; AM05 a used quote; AM09 an
// amount above the quoted one; AM03 a quote for another currency pair; AG01 a
// quote of another participant; NARR an unknown quote.
package settlement
