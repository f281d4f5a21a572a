package corridor

// Log attribute keys, one spelling each, for log/slog.
const (
	LogKeyComponent = "component"
	LogKeyUETR      = "uetr"
	LogKeyBIC       = "bic"
	LogKeySeq       = "seq"
	LogKeyReason    = "reason"
	LogKeyRemote    = "remote"
)
