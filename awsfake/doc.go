// Package awsfake is a local stand-in for the parts of AWS that ssmpolicy
// calls — SSM, KMS, RAM and STS — for tests.
//
// Neither LocalStack nor moto implements the SSM resource-policy operations,
// so tests need their own server. This one speaks each service's wire
// protocol, so tests exercise the real aws-sdk-go-v2 serializers, error
// mapping, retryer and credential providers rather than a mock of them.
// One loopback server (127.0.0.1 only) answers every service; point clients
// at URL with BaseEndpoint, or the shared configuration with AWS_ENDPOINT_URL
// or AWS_ENDPOINT_URL_SSM / _KMS / _RAM / _STS.
//
// # Protocols and operations
//
//   - SSM and KMS, awsJson1_1: POST /, Content-Type
//     application/x-amz-json-1.1, X-Amz-Target AmazonSSM.<Operation> or
//     TrentService.DescribeKey; errors are a non-2xx status with
//     {"__type": code, "Message": ...}. SSM: PutResourcePolicy,
//     GetResourcePolicies, DeleteResourcePolicy, DescribeParameters
//     (ParameterFilters on Name, Type, Tier, KeyId, DataType; NextToken and
//     MaxResults paging that, like AWS, can return empty pages; the Shared
//     option). KMS: DescribeKey.
//   - RAM, restJson1: POST /<operation in lower case> with a JSON body of
//     lower-camel members (PromoteResourceShareCreatedFromPolicy takes
//     ?resourceShareArn= in the query string); timestamps are epoch
//     seconds; errors name their code in the X-Amzn-ErrorType header with
//     {"message": ...}. ListResources, GetResourceShares,
//     ListResourceSharePermissions, GetPermission, ListPermissions,
//     PromotePermissionCreatedFromPolicy, PromoteResourceShareCreatedFromPolicy.
//   - STS, awsQuery: a form-encoded POST / with Action=AssumeRole or
//     GetCallerIdentity, answered in XML (<AssumeRoleResponse><AssumeRoleResult>
//     ...); errors are <ErrorResponse><Error><Code>. The SDK's stscreds
//     provider works against it.
//
// # Accounts and regions
//
// The server holds one store per (account, region): parameters, policies,
// keys (each with the AWS managed key alias/aws/ssm), RAM shares and
// permissions, and a rate-limit bucket. The region of a request is the one
// in the SigV4 credential scope of its Authorization header; the account
// comes from its access key id: AccessKeyID is the home account (WithAccount,
// default DefaultAccount), AccessKeyFor(account) ("AKIAFAKE" + the 12-digit
// id) is that account, and a temporary key issued by AssumeRole is the
// role's account while its session token matches and it has not expired.
// Other keys act as the home account, or fail with
// UnrecognizedClientException under WithStrictAccessKeys. ConfigFor(account,
// region) builds an aws.Config for any of them; AddRole makes a role
// assumable.
//
// # Seeding
//
// The Server's seeding methods (AddParameter, AddKey, AddAlias, AddResource,
// AddPolicy, WritePolicy, RemovePolicy, Policies) act on the home store; At
// (and Home) returns a Store with the same methods for any account and
// region, and for RAM: Shares, SharesOf, Permissions, AddPermission,
// PromoteShare. Seed fills many stores at once from a SeedSpec (counts,
// tiers, types, the fraction with policies, the fraction planted with one of
// the Problem* problems) and reports what it planted; the same spec gives
// the same data.
//
// # RAM's model
//
// A policy on a parameter (through PutResourcePolicy or AddPolicy) makes a
// resource share of featureSet CREATED_FROM_POLICY, status ACTIVE, holding
// the parameter and granting the policy's AWS principals (accounts; "*" for
// a wildcard). Its permission is the AWS managed one whose actions the
// policy's Allow actions match exactly (PermissionReadOnly,
// PermissionReadOnlyWithHistory; compared case-insensitively as a set), else
// a CREATED_FROM_POLICY permission of its own. PutResourcePolicy's share
// appears after WithShareDelay. PromotePermissionCreatedFromPolicy makes a
// customer managed permission with the same actions (a client token makes a
// retry return the same one; a token reused with other parameters is
// IdempotentParameterMismatchException). PromoteResourceShareCreatedFromPolicy
// fails with UnmatchedPolicyPermissionException unless a managed permission
// matches, with InvalidStateTransitionException unless the share is
// CREATED_FROM_POLICY, and otherwise makes it PROMOTING_TO_STANDARD, then
// STANDARD after WithPromotionDelay, when it takes the managed permission and
// RAM deletes the CREATED_FROM_POLICY permission nobody uses. Updating the
// policy updates the share; deleting it takes the parameter out of the share.
// DescribeParameters with Shared lists, for a consumer, the parameters of
// other accounts in its region whose share is STANDARD and grants it, named
// by their full ARN. Invitations and organizations are not modelled:
// sharing acts as within one organization.
//
// # Faults
//
// Throttle, FailInternal, DenyAccess (AccessDeniedException naming the IAM
// action), InjectError (any code), Delay, DropAfterWrite and FailAfterWrite
// (the call is processed, then the connection is closed or a 500 returned)
// apply by operation name to every account and region, each in its
// protocol's own error shape. WithRateLimit / SetRateLimit throttle past a
// call rate per account and region with the real ThrottlingException
// (RAM: HTTP 429; STS: code Throttling), which the SDK's retryers recognise.
// BeforeWrite runs another writer's change just before an SSM write.
// WithClock replaces the clock for delays, expiry and the rate limit.
//
// # Calls and secrets
//
// Every HTTP call is recorded (Calls, Count, CountOK) with its service,
// caller account, region and request body. Secret parameter values given to
// AddParameter, and the secrets and session tokens AssumeRole issues, are
// never in the call log (request bodies never carry them; they are redacted
// all the same), and no operation returns a parameter value. Unknown
// operations are logged without their body. All methods are safe for
// concurrent use.
//
// A client that allows a single attempt can, now and then, fail to read a
// response larger than 4 KB with "use of closed network connection": the
// SDK closes the request body as soon as the response headers arrive, which
// against a server this fast can beat net/http's check for extra body bytes,
// and the transport then closes the connection. The SDK retries it as a
// connection error, so clients reading many large pages should allow
// retries.
package awsfake
