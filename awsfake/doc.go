// Package awsfake is a local stand-in for the parts of AWS Systems Manager
// (SSM) and KMS that ssmpolicy calls, for tests.
//
// Neither LocalStack nor moto implements the SSM resource-policy operations,
// so tests of the apply step need their own server. This one speaks the
// awsJson1_1 protocol the real aws-sdk-go-v2 clients use (POST /,
// Content-Type application/x-amz-json-1.1, X-Amz-Target
// AmazonSSM.<Operation> or TrentService.DescribeKey, errors as a non-2xx
// status with {"__type": ..., "Message": ...}), so tests exercise the real SDK
// serializers, error mapping and retryer rather than a mock of them.
//
// Operations: PutResourcePolicy, GetResourcePolicies, DeleteResourcePolicy,
// DescribeParameters (SSM) and DescribeKey (KMS). State is seeded through Go
// methods (AddParameter, AddKey, AddAlias, AddPolicy, AddResource); faults are
// injected through Throttle, FailInternal, Delay and BeforeWrite; every HTTP
// call is recorded (Calls, Count) with its request body.
//
// Secret parameter values given to AddParameter are never returned by any
// operation and are redacted from the call log. The server only ever listens
// on 127.0.0.1. All methods are safe for concurrent use.
package awsfake
