package linter

import (
	"github.com/ssmpolicy/ssmpolicy/config"
	"github.com/ssmpolicy/ssmpolicy/pipeline"
)

// Pipeline returns the findings pipeline Run uses (this engine's levels, the ignores written
// with each target, the configuration's ignore entries), for a caller that makes its own
// targets and checks them one at a time with Check: audit, whose targets come from AWS.
func (e *Engine) Pipeline(ignores *config.Suppressor) *pipeline.Pipeline {
	return pipeline.Standard(e.levels, ignores)
}
