package httpapi

// VerifyInbox is verifyInbox, for the tests of signed inbox pages.
var VerifyInbox = verifyInbox

// DecodeInboxResponse is decodeInboxResponse, for its tests against encoding/json.
var DecodeInboxResponse = decodeInboxResponse
