// Package ledger is the hub's double-entry ledger of settlement accounts. It is
// a deterministic state machine: the sequencer is its only caller, it does no
// I/O, reads no clock and asserts its invariants after every change.
//
// Every account holds one currency. A transfer debits one account and credits
// another of the same currency by the same amount, so per currency the sum of
// all debits always equals the sum of all credits. A participant's settlement
// account may not fall below its floor (zero, less any credit limit); the
// operator's central account in each currency is where liquidity comes from and
// may run negative: its balance is the money the hub has issued in that currency.
package ledger
