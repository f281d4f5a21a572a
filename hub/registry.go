package hub

import (
	"time"

	"github.com/corridor-network/corridor/settlement"
)

// command is an input that may change state. The sequencer applies it and,
// when it did change state, journals it; replaying the journal applies the
// same commands in the same order to rebuild the same state. Every command
// type is in registry, under the journal kind its kind method names.
type command interface {
	kind() string
	// apply runs the command as journal entry seq at time now. It is
	// deterministic, and it changes nothing when it refuses.
	apply(s *state, seq uint64, now time.Time) result
}

// result is a command's answer, and whether the command changed the state.
type result struct {
	payment PaymentResult
	report  SettlementReport // Of resolveCmd and cutoffCmd.
	cycle   CycleReport      // Of closeCmd.
	quote   FXQuote          // Of quoteCmd.
	offer   FXOffer          // Of offerCmd.
	list    ListInfo         // Of listCmd.
	err     error
	changed bool // The state changed: the command is journaled.
}

// refused is the result of a command that changed nothing because of err.
func refused(err error) result { return result{err: err} }

// applied is the result of a command that changed the state and has nothing
// more to say.
func applied() result { return result{changed: true} }

// registry is the one table from journal kind to command type: how each
// journal entry is decoded on replay.
var registry = map[string]func(payload []byte) (command, error){
	kindRegister:      decodePayload[registerCmd],
	kindFund:          decodePayload[fundCmd],
	kindPayment:       decodePayload[paymentCmd],
	kindAck:           decodePayload[ackCmd],
	kindRevoke:        decodePayload[revokeCmd],
	kindSuspend:       decodePayload[suspendCmd],
	kindPolicy:        decodePayload[policyCmd],
	kindOpRevoke:      decodePayload[operatorRevokeCmd],
	kindConfig:        decodePayload[configCmd],
	kindList:          decodePayload[listCmd],
	kindDecide:        decodePayload[decideCmd],
	kindResolve:       decodePayload[resolveCmd],
	kindCutoff:        decodePayload[cutoffCmd],
	kindClose:         decodePayload[closeCmd],
	kindCancel:        decodePayload[cancelCmd],
	kindMove:          decodePayload[moveCmd],
	kindRate:          decodePayload[rateCmd],
	kindQuote:         decodePayload[quoteCmd],
	kindReturn:        decodePayload[returnCmd],
	kindCancelRequest: decodePayload[cancelRequestCmd],
	kindCaseRequest:   decodePayload[caseRequestCmd],
	kindResolution:    decodePayload[resolutionCmd],
	kindNotifications: decodePayload[notificationsCmd],
	kindLimits:        decodePayload[limitsCmd],
	kindNetLimits:     decodePayload[netLimitsCmd],
	kindDefund:        decodePayload[defundCmd],
	kindDayOpen:       decodePayload[dayOpenCmd],
	kindDayCutoff:     decodePayload[dayCutoffCmd],
	kindDayClose:      decodePayload[dayCloseCmd],
	kindOffer:         decodePayload[offerCmd],
}

// Each command: its journal kind, and the state change it applies.

func (registerCmd) kind() string { return kindRegister }
func (c registerCmd) apply(s *state, _ uint64, now time.Time) result {
	return s.register(c, now)
}

func (revokeCmd) kind() string                                   { return kindRevoke }
func (c revokeCmd) apply(s *state, _ uint64, _ time.Time) result { return s.revoke(c) }

func (suspendCmd) kind() string                                   { return kindSuspend }
func (c suspendCmd) apply(s *state, _ uint64, _ time.Time) result { return s.suspend(c) }

func (policyCmd) kind() string                                   { return kindPolicy }
func (c policyCmd) apply(s *state, _ uint64, _ time.Time) result { return s.setPolicy(c) }

func (operatorRevokeCmd) kind() string { return kindOpRevoke }
func (c operatorRevokeCmd) apply(s *state, _ uint64, _ time.Time) result {
	return s.revokeOperator(c)
}

func (fundCmd) kind() string                                       { return kindFund }
func (c fundCmd) apply(s *state, seq uint64, now time.Time) result { return s.fund(c, seq, now) }

func (paymentCmd) kind() string                                       { return kindPayment }
func (c paymentCmd) apply(s *state, seq uint64, now time.Time) result { return s.submit(c, seq, now) }

func (ackCmd) kind() string                                     { return kindAck }
func (c ackCmd) apply(s *state, _ uint64, now time.Time) result { return s.ack(c, now) }

func (listCmd) kind() string                                   { return kindList }
func (c listCmd) apply(s *state, _ uint64, _ time.Time) result { return s.loadList(c) }

func (decideCmd) kind() string                                     { return kindDecide }
func (c decideCmd) apply(s *state, _ uint64, now time.Time) result { return s.decide(c, now) }

func (configCmd) kind() string                                     { return kindConfig }
func (c configCmd) apply(s *state, _ uint64, now time.Time) result { return s.configure(c, now) }

func (resolveCmd) kind() string                                   { return kindResolve }
func (resolveCmd) apply(s *state, _ uint64, now time.Time) result { return s.resolve(now) }

func (cutoffCmd) kind() string                                   { return kindCutoff }
func (cutoffCmd) apply(s *state, _ uint64, now time.Time) result { return s.cutoff(now) }

func (closeCmd) kind() string                                   { return kindClose }
func (closeCmd) apply(s *state, _ uint64, now time.Time) result { return s.closeCycle(now) }

func (cancelCmd) kind() string                                     { return kindCancel }
func (c cancelCmd) apply(s *state, _ uint64, now time.Time) result { return s.cancel(c, now) }

func (moveCmd) kind() string                                     { return kindMove }
func (c moveCmd) apply(s *state, _ uint64, now time.Time) result { return s.move(c, now) }

func (rateCmd) kind() string                                   { return kindRate }
func (c rateCmd) apply(s *state, _ uint64, _ time.Time) result { return s.publishRate(c) }

func (quoteCmd) kind() string { return kindQuote }
func (c quoteCmd) apply(s *state, seq uint64, now time.Time) result {
	return s.issueQuote(c, seq, now)
}

func (returnCmd) kind() string { return kindReturn }
func (c returnCmd) apply(s *state, seq uint64, now time.Time) result {
	return s.submitReturn(c, seq, now)
}

func (cancelRequestCmd) kind() string { return kindCancelRequest }
func (c cancelRequestCmd) apply(s *state, _ uint64, now time.Time) result {
	return s.requestCancel(c, now, false)
}

func (caseRequestCmd) kind() string { return kindCaseRequest }
func (c caseRequestCmd) apply(s *state, _ uint64, now time.Time) result {
	return s.requestCancel(c.cancelRequestCmd, now, true)
}

func (resolutionCmd) kind() string { return kindResolution }
func (c resolutionCmd) apply(s *state, _ uint64, now time.Time) result {
	return s.resolveCancel(c, now)
}

func (notificationsCmd) kind() string { return kindNotifications }
func (c notificationsCmd) apply(s *state, _ uint64, _ time.Time) result {
	return s.setNotifications(c)
}

func (limitsCmd) kind() string { return kindLimits }
func (c limitsCmd) apply(s *state, _ uint64, now time.Time) result {
	c.Limits.Rule = settlement.RuleGross
	return s.setLimits(c.BIC, c.Limits, now)
}

func (netLimitsCmd) kind() string { return kindNetLimits }
func (c netLimitsCmd) apply(s *state, _ uint64, now time.Time) result {
	c.Limits.Rule = settlement.RuleNet
	return s.setLimits(c.BIC, c.Limits, now)
}

func (defundCmd) kind() string                                       { return kindDefund }
func (c defundCmd) apply(s *state, seq uint64, now time.Time) result { return s.defund(c, seq, now) }

func (offerCmd) kind() string { return kindOffer }
func (c offerCmd) apply(s *state, seq uint64, now time.Time) result {
	return s.publishOffer(c, seq, now)
}
