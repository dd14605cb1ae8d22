// Package apply sends policies that passed the checks to AWS with the SSM PutResourcePolicy
// API, through the clients of package awsapi.
//
// The flow is MakePlan (reads only) then Execute (writes); WritePlan and WriteResults render
// both as plain text, and every plan and result type marshals to JSON. Nothing here reads or
// prints parameter values or credentials.
package apply
