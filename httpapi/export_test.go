package httpapi

// VerifyInbox is verifyInbox, for the tests of signed inbox pages.
var VerifyInbox = verifyInbox
