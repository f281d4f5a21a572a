package httpapi

// VerifyInbox is verifyInbox, for the tests of signed inbox pages.
var VerifyInbox = verifyInbox

// DecodeInboxResponse is decodeInboxResponse, for its tests against encoding/json.
var DecodeInboxResponse = decodeInboxResponse

// DecodeSubmitResponse and DecodeBatchResponse are decodeSubmitResponse and
// decodeBatchResponse, for their tests against encoding/json.
var (
	DecodeSubmitResponse = decodeSubmitResponse
	DecodeBatchResponse  = decodeBatchResponse
)

// AppendAnswer is appendAnswer, for its tests against encoding/json.
var AppendAnswer = appendAnswer
