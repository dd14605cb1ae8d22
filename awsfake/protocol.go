package awsfake

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/http"
)

// apiError is an error response. typ and status are as awsJson1_1 services
// send them; wire translates the protocol-neutral ones (throttling, access
// denied, internal errors, bad credentials) to each protocol's real code and
// status.
type apiError struct {
	status int
	typ    string
	msg    string
	extra  map[string]any // additional modeled members (Limit, ParameterNames ...)
}

func (e *apiError) Error() string { return e.typ + ": " + e.msg }

func errBadRequest(typ, format string, args ...any) *apiError {
	return &apiError{status: http.StatusBadRequest, typ: typ, msg: fmt.Sprintf(format, args...)}
}

func errThrottled() *apiError {
	return &apiError{status: http.StatusBadRequest, typ: "ThrottlingException", msg: "Rate exceeded"}
}

func errInternal() *apiError {
	return &apiError{status: http.StatusInternalServerError, typ: "InternalServerError", msg: "An internal error occurred (injected)"}
}

type wireCode struct {
	status int
	code   string
}

// wireCodes gives, for a protocol-neutral error code, the status and code
// that the RAM (restJson1) and STS (awsQuery) endpoints send instead. A
// switch rather than a map keeps the package free of mutable state.
func wireCodes(typ string) (rest, query wireCode, ok bool) {
	switch typ {
	case "ThrottlingException":
		return wireCode{429, "ThrottlingException"}, wireCode{400, "Throttling"}, true
	case "InternalServerError":
		return wireCode{500, "ServerInternalException"}, wireCode{500, "InternalFailure"}, true
	case "AccessDeniedException":
		return wireCode{403, "AccessDeniedException"}, wireCode{403, "AccessDenied"}, true
	case "UnrecognizedClientException":
		return wireCode{403, "UnrecognizedClientException"}, wireCode{403, "InvalidClientTokenId"}, true
	case "ExpiredTokenException":
		return wireCode{403, "ExpiredTokenException"}, wireCode{400, "ExpiredToken"}, true
	case "MissingAuthenticationTokenException":
		return wireCode{403, "MissingAuthenticationTokenException"}, wireCode{403, "MissingAuthenticationToken"}, true
	case "UnknownOperationException":
		return wireCode{404, "UnknownOperationException"}, wireCode{400, "InvalidAction"}, true
	}
	return wireCode{}, wireCode{}, false
}

// wire returns the status and error code a protocol sends for e.
func (e *apiError) wire(p proto) (int, string) {
	if p == protoJSON {
		return e.status, e.typ
	}
	rest, query, ok := wireCodes(e.typ)
	if !ok {
		return e.status, e.typ
	}
	w := rest
	if p == protoQuery {
		w = query
	}
	if e.status == http.StatusMethodNotAllowed || e.status == http.StatusServiceUnavailable {
		return e.status, w.code
	}
	return w.status, w.code
}

// errorStatus is the HTTP status of an error code injected with
// InjectError: the modeled status where it is not 400.
func errorStatus(code string) int {
	switch code {
	case "InternalServerError", "ServerInternalException", "InternalFailure", "KMSInternalException":
		return http.StatusInternalServerError
	case "ServiceUnavailableException", "ServiceUnavailable":
		return http.StatusServiceUnavailable
	case "PermissionAlreadyExistsException":
		return http.StatusConflict
	}
	return http.StatusBadRequest
}

// encode renders a response (or error) in the protocol of the call.
func (s *Server) encode(c *call, out any, apiErr *apiError) (status int, body []byte, headers map[string]string) {
	s.mu.Lock()
	reqID := s.newIDLocked("request")
	s.mu.Unlock()
	headers = map[string]string{"X-Amzn-RequestId": reqID}
	switch c.proto {
	case protoQuery:
		headers["Content-Type"] = "text/xml"
		return encodeQuery(c.op, out, apiErr, reqID, headers)
	case protoREST:
		headers["Content-Type"] = "application/json"
	default:
		headers["Content-Type"] = contentTypeJSON
	}
	if apiErr == nil {
		b, err := json.Marshal(out)
		if err == nil {
			return http.StatusOK, b, headers
		}
		apiErr = &apiError{status: http.StatusInternalServerError, typ: "InternalServerError", msg: "cannot encode response"}
	}
	status, code := apiErr.wire(c.proto)
	m := map[string]any{}
	if c.proto == protoREST {
		// restJson1 services name the error in a header and give the
		// message in a lower-case member.
		headers["X-Amzn-ErrorType"] = code
		m["message"] = apiErr.msg
	} else {
		m["__type"], m["Message"] = code, apiErr.msg
	}
	for k, v := range apiErr.extra {
		m[k] = v
	}
	b, _ := json.Marshal(m)
	return status, b, headers
}

const stsNamespace = "https://sts.amazonaws.com/doc/2011-06-15/"

type queryResponseMetadata struct {
	RequestID string `xml:"RequestId"`
}

type queryError struct {
	XMLName xml.Name `xml:"ErrorResponse"`
	Xmlns   string   `xml:"xmlns,attr"`
	Error   struct {
		Type    string
		Code    string
		Message string
	}
	RequestID string `xml:"RequestId"`
}

// encodeQuery renders an awsQuery response: <OpResponse><OpResult>...
// </OpResult><ResponseMetadata/></OpResponse>, or an <ErrorResponse>.
func encodeQuery(op string, out any, apiErr *apiError, reqID string, headers map[string]string) (int, []byte, map[string]string) {
	if apiErr == nil {
		type envelope struct {
			XMLName  xml.Name
			Xmlns    string                `xml:"xmlns,attr"`
			Result   any                   `xml:",omitempty"`
			Metadata queryResponseMetadata `xml:"ResponseMetadata"`
		}
		env := envelope{XMLName: xml.Name{Local: op + "Response"}, Xmlns: stsNamespace, Metadata: queryResponseMetadata{reqID}}
		env.Result = out
		b, err := xml.Marshal(env)
		if err == nil {
			return http.StatusOK, append([]byte(xml.Header), b...), headers
		}
		apiErr = &apiError{status: http.StatusInternalServerError, typ: "InternalServerError", msg: "cannot encode response"}
	}
	status, code := apiErr.wire(protoQuery)
	e := queryError{Xmlns: stsNamespace, RequestID: reqID}
	e.Error.Type = "Sender"
	if status >= 500 {
		e.Error.Type = "Receiver"
	}
	e.Error.Code, e.Error.Message = code, apiErr.msg
	b, _ := xml.Marshal(e)
	return status, append([]byte(xml.Header), b...), headers
}
