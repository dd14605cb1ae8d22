package ssmpolicy.rules.bad

report contains x if {
	x := [1, 2
}
