package httpapi

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
)

// maxPresize bounds what readAllInto sets aside before the bytes arrive: a
// peer that declares a large body and sends nothing holds no more.
const maxPresize = 1 << 20

// readAllInto reads r to its end into buf, grown first to the length the
// sender declared when that is within limit (r enforces the limit) and
// maxPresize, so that a body is not copied again each time the buffer
// doubles. The bytes returned are buf's.
func readAllInto(buf *bytes.Buffer, r io.Reader, declared, limit int64) ([]byte, error) {
	if declared > 0 && declared <= limit {
		buf.Grow(int(min(declared, maxPresize)) + bytes.MinRead) // ReadFrom wants MinRead free to read on to the end.
	}
	_, err := buf.ReadFrom(r)
	return buf.Bytes(), err
}

// readBuffers holds the buffers of bodies that are decoded and then let
// go of: batches the server reads, answers the client reads. Each decoder
// they go through copies what it keeps (strings, base64 decoded into bytes
// of their own), so a buffer is given back once its body is decoded, and
// a busy hub does not allocate a batch's hundreds of kilobytes for every
// request.
var readBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// maxKeptRead bounds the buffer a read gives back, so that one large body
// does not keep its memory for all later ones.
const maxKeptRead = 4 << 20

func getReadBuffer() *bytes.Buffer { return readBuffers.Get().(*bytes.Buffer) }

// putReadBuffer gives b back once nothing refers to its bytes.
func putReadBuffer(b *bytes.Buffer) {
	if b.Cap() > maxKeptRead {
		return
	}
	b.Reset()
	readBuffers.Put(b)
}

// Errors of reading a request body.
var (
	errTooLarge = errors.New("httpapi: body too large")
	errBodyRead = errors.New("httpapi: request body not read in time")
)

// readBody reads r's body, of at most limit bytes, into a buffer of its own.
func readBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, error) {
	return readBodyInto(new(bytes.Buffer), w, r, limit)
}

// readBodyInto reads r's body, of at most limit bytes, into buf.
func readBodyInto(buf *bytes.Buffer, w http.ResponseWriter, r *http.Request, limit int64) ([]byte, error) {
	body, err := readAllInto(buf, http.MaxBytesReader(w, r.Body, limit), r.ContentLength, limit)
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return nil, fmt.Errorf("body is over the limit of %d bytes: %w", limit, errTooLarge)
	}
	var timeout net.Error
	if errors.As(err, &timeout) && timeout.Timeout() {
		return nil, fmt.Errorf("%w: %v", errBodyRead, err)
	}
	if err != nil { // Such as a malformed chunked encoding: the client's fault, not to retry as it is.
		return nil, fmt.Errorf("%w: malformed request body: %v", errBadJSON, err)
	}
	return body, nil
}
