package hub

import (
	"slices"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/internal/assert"
)

// Wait is why a pending (PDNG) payment waits: the tracker and the API name
// it, for PDNG means three different waits.
type Wait string

// The waits of a PDNG payment.
const (
	WaitQueue      Wait = "queue"      // In the RTGS queue, for its instructing agent's liquidity.
	WaitLimit      Wait = "limit"      // In the limit queue, for a sender limit or the urgent reserve.
	WaitCompliance Wait = "compliance" // Held by sanctions screening, for an operator's decision.
	WaitValueDate  Wait = "warehouse"  // Dated for a later business day, until that day opens.
)

// stage is where a payment leg stands: its status and, when it is PDNG, why
// it waits.
type stage struct {
	status corridor.PaymentStatus
	wait   Wait
}

var (
	accepted       = stage{corridor.StatusAccepted, ""}
	inCycle        = stage{corridor.StatusInCycle, ""}
	settledStage   = stage{corridor.StatusSettled, ""}
	rejectedStage  = stage{corridor.StatusRejected, ""}
	queuedStage    = stage{corridor.StatusPending, WaitQueue}
	limitedStage   = stage{corridor.StatusPending, WaitLimit}
	heldStage      = stage{corridor.StatusPending, WaitCompliance}
	warehoused     = stage{corridor.StatusPending, WaitValueDate}
	transitionsMap = map[stage][]stage{
		// Journaled: screening may hold it; then it settles, waits, joins a
		// net cycle or is refused.
		accepted: {heldStage, warehoused, limitedStage, queuedStage, inCycle, settledStage, rejectedStage},
		// Released by compliance, it goes the way an accepted payment goes.
		heldStage: {warehoused, limitedStage, queuedStage, inCycle, settledStage, rejectedStage},
		// Its business day open, a warehoused payment goes the same way.
		warehoused:   {limitedStage, queuedStage, inCycle, settledStage, rejectedStage},
		limitedStage: {queuedStage, settledStage, rejectedStage},
		queuedStage:  {settledStage, rejectedStage},
		inCycle:      {settledStage, rejectedStage},
		// Settled and rejected are final: a return is a leg of its own.
	}
)

// moveTo is the one place a payment leg's status changes. It asserts that
// the change is one transitionsMap allows: any other is a bug.
func (p *payment) moveTo(status corridor.PaymentStatus, wait Wait) {
	from, to := stage{p.status, p.wait}, stage{status, wait}
	assert.That(slices.Contains(transitionsMap[from], to), "payment %s: no transition from %s to %s", p.ref, from, to)
	p.status, p.wait = status, wait
}

func (s stage) String() string {
	if s.wait == "" {
		return string(s.status)
	}
	return string(s.status) + "/" + string(s.wait)
}
