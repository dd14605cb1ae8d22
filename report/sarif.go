package report

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/google/uuid"
	"github.com/owenrumney/go-sarif/v2/sarif"

	"github.com/ssmpolicy/ssmpolicy/finding"
	"github.com/ssmpolicy/ssmpolicy/jsonpos"
	"github.com/ssmpolicy/ssmpolicy/rules"
)

// SARIF writes one SARIF 2.1.0 log, the format code scanning reads (GitHub, GitLab, Azure
// DevOps, the IDE viewers).
type SARIF struct {
	// Rules is the catalogue: every rule is described, not only those that fired, so code
	// scanning can show a rule's page for any alert and knows which rules ran.
	Rules *rules.Set
	// Version is the tool's version.
	Version string
	// WorkDir is %SRCROOT%: paths under it are written relative to it.
	WorkDir string
}

const (
	toolURI = "https://github.com/ssmpolicy/ssmpolicy"
	srcRoot = "%SRCROOT%"
	// fingerprintKey names our partial fingerprint; the /v1 lets the recipe change one day
	// without code scanning mistaking new fingerprints for old ones.
	fingerprintKey = "ssmpolicy/v1"
	// securitySeverity is what GitHub needs to rank an alert as a security alert: 7.0 to
	// 8.9 reads "high", which is what granting more than intended is.
	securitySeverity = "7.5"
)

// sarifLevel maps our four levels onto SARIF's three.
func sarifLevel(l finding.Level) string {
	switch l {
	case finding.Error:
		return "error"
	case finding.SecurityWarning, finding.Warning:
		return "warning"
	}
	return "note"
}

// Publish implements Reporter.
func (s SARIF) Publish(w io.Writer, rep *finding.Report) error { return publish(s.Stream(w), rep) }

// Stream implements Reporter. A SARIF log is one JSON document whose results sit inside its
// run, before the invocation that says whether the run succeeded: it is built at End.
func (s SARIF) Stream(w io.Writer) Stream { return &sarifStream{s: s, w: w, rep: &finding.Report{}} }

type sarifStream struct {
	s   SARIF
	w   io.Writer
	rep *finding.Report
}

func (st *sarifStream) Begin(meta Meta) error {
	st.rep.Version, st.rep.Config = meta.Version, meta.Config
	return nil
}

func (st *sarifStream) Finding(f finding.Finding) error {
	st.rep.Findings = append(st.rep.Findings, f)
	return nil
}

func (st *sarifStream) Suppressed(f finding.Suppressed) error {
	st.rep.Suppressed = append(st.rep.Suppressed, f)
	return nil
}

func (st *sarifStream) End(sum finding.Summary, failures []finding.Failure) error {
	st.rep.Summary, st.rep.Failures = sum, failures
	return st.s.write(st.w, st.rep)
}

// resultMessage is a finding's message with its note and help: text for every viewer, and
// Markdown for those that render it. SARIF's fixes are edits to the file, which a help text
// is not.
func resultMessage(f finding.Finding) *sarif.Message {
	if f.Note == "" && f.Help == "" {
		return sarif.NewTextMessage(f.Message)
	}
	text, md := f.Message, mdText(f.Message)
	if f.Note != "" {
		text += "\nnote: " + f.Note
		md += "\n\nnote: " + mdText(f.Note)
	}
	if f.Help != "" {
		text += "\nhelp: " + f.Help
		md += "\n\n**help:** " + mdText(f.Help)
	}
	return sarif.NewTextMessage(text).WithMarkdown(md)
}

func (s SARIF) write(w io.Writer, rep *finding.Report) error {
	b, err := s.newLog()
	if err != nil {
		return err
	}
	for _, f := range rep.Findings {
		b.add(f.Rule, f.Level, resultMessage(f), f.File, f.Start, f.End, f.Pointer, f.Resource)
	}
	for _, f := range rep.Suppressed {
		res, id := b.add(f.Rule, f.Level, sarif.NewTextMessage(f.Message), f.File, f.Start, f.End, f.Pointer, "")
		// The library writes every suppression field, absent or not, and the schema accepts
		// no null: so each one gets a real value. The guid derives from the fingerprint so
		// that it is the same run after run.
		res.AddSuppression(sarif.NewSuppression("external").WithStatus("accepted").
			WithGuid(uuid.NewSHA1(uuid.NameSpaceURL, []byte(toolURI+"#suppression/"+id)).String()).
			WithJustifcation(cmp.Or(f.Reason, "no reason given")).
			WithLocation(s.suppressionLocation(f.By)))
	}
	b.run.AddInvocations(s.invocation(rep, b.ruleIndex))

	// Our own encoder rather than the library's writers: they escape <, > and & in every
	// string, which makes messages and URLs hard to read.
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(b.doc); err != nil {
		return err
	}
	_, err = w.Write(jsonEscapeRest(buf.Bytes()))
	return err
}

// sarifLog is a SARIF log of one run being built: its rules are indexed as results name them.
type sarifLog struct {
	s      SARIF
	doc    *sarif.Report
	run    *sarif.Run
	driver *sarif.ToolComponent
	index  map[string]int
	fp     fingerprints
}

// newLog starts a log whose run describes the tool and every rule of the catalogue.
func (s SARIF) newLog() (*sarifLog, error) {
	doc, err := sarif.New(sarif.Version210)
	if err != nil {
		return nil, err
	}
	driver := sarif.NewDriver("ssmpolicy").WithInformationURI(toolURI)
	if s.Version != "" {
		driver.WithVersion(s.Version)
	}
	run := sarif.NewRun(sarif.Tool{Driver: driver})
	// Our columns count characters, not the UTF-16 code units SARIF assumes by default.
	run.WithColumnKind("unicodeCodePoints")
	run.WithOriginalUriBaseIds(map[string]*sarif.ArtifactLocation{
		srcRoot: sarif.NewSimpleArtifactLocation(dirURI(s.WorkDir)),
	})
	doc.AddRun(run)
	b := &sarifLog{s: s, doc: doc, run: run, driver: driver, index: map[string]int{}, fp: fingerprints{}}
	if s.Rules != nil {
		for _, r := range s.Rules.Rules {
			b.addRule(ruleDescriptor(r))
		}
	}
	return b, nil
}

func (b *sarifLog) addRule(d *sarif.ReportingDescriptor) {
	b.index[d.ID] = len(b.driver.Rules)
	b.driver.Rules = append(b.driver.Rules, d)
}

// ruleIndex is the index of rule id in the driver's rules.
func (b *sarifLog) ruleIndex(id string) int {
	if i, ok := b.index[id]; ok {
		return i
	}
	// A rule the catalogue does not hold still gets an entry, so ruleIndex stays valid.
	b.addRule(sarif.NewRule(id).WithName(id).WithShortDescription(sarif.NewMultiformatMessageString(id)))
	return b.index[id]
}

// add appends the result of a finding, suppressed or not, and returns it with its
// fingerprint.
func (b *sarifLog) add(rule string, level finding.Level, msg *sarif.Message, file string, start, end jsonpos.Pos, pointer, resource string) (*sarif.Result, string) {
	res := sarif.NewRuleResult(rule).WithLevel(sarifLevel(level)).WithMessage(msg).
		WithRuleIndex(b.ruleIndex(rule))
	art := b.s.artifact(file)
	pl := sarif.NewPhysicalLocation().WithArtifactLocation(art)
	if r := region(start, end); r != nil {
		pl.WithRegion(r)
	}
	res.AddLocation(sarif.NewLocationWithPhysicalLocation(pl))
	key := file
	if art.URI != nil {
		key = *art.URI
	}
	id := b.fp.next(rule, key, pointer, resource)
	res.WithPartialFingerPrints(map[string]any{fingerprintKey: id})
	res.Properties = sarif.Properties{"pointer": pointer}
	if resource != "" {
		res.Properties["resource"] = resource
	}
	b.run.Results = append(b.run.Results, res)
	return res, id
}

// invocation says whether the run succeeded, with its failures as notifications and the
// configuration it used.
func (s SARIF) invocation(rep *finding.Report, ruleIndex func(string) int) *sarif.Invocation {
	inv := sarif.NewInvocation().WithExecutionSuccess(len(rep.Failures) == 0)
	for _, fl := range rep.Failures {
		n := sarif.NewNotification().WithLevel("error").WithTextMessage(fl.Message)
		if fl.File != "" {
			pl := sarif.NewPhysicalLocation().WithArtifactLocation(s.artifact(fl.File))
			if fl.Start != nil {
				pl.WithRegion(region(*fl.Start, jsonpos.Pos{}))
			}
			n.AddLocation(sarif.NewLocationWithPhysicalLocation(pl))
		}
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, n)
	}
	s.configuration(inv, rep, ruleIndex)
	return inv
}

// configuration says in the invocation which configuration files the run used (property
// "config") and which rules they turned off (ruleConfigurationOverrides, enabled false).
func (s SARIF) configuration(inv *sarif.Invocation, rep *finding.Report, ruleIndex func(string) int) {
	files := make([]string, 0, len(rep.Config))
	off := map[string]bool{}
	for _, c := range rep.Config {
		files = append(files, c.File)
		for _, id := range c.Disabled {
			off[id] = true
		}
	}
	inv.Properties = sarif.Properties{"config": files}
	ids := make([]string, 0, len(off))
	for id := range off {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		ref := sarif.NewReportingDescriptorReference().WithId(id).WithIndex(ruleIndex(id))
		inv.RuleConfigurationOverrides = append(inv.RuleConfigurationOverrides,
			sarif.NewConfigurationOverride().WithDescriptor(ref).WithConfiguration(sarif.NewReportingConfiguration().WithEnabled(false)))
	}
}

// artifact locates file: relative to %SRCROOT% when it is under the working directory, an
// absolute file:// URI otherwise, the ARN itself for a policy read from AWS, and no URI at all
// for standard input.
func (s SARIF) artifact(file string) *sarif.ArtifactLocation {
	p := locate(s.WorkDir, file)
	switch {
	case isResource(file):
		return sarif.NewSimpleArtifactLocation(file)
	case p.rel != "":
		return sarif.NewSimpleArtifactLocation(escapePath(p.rel)).WithUriBaseId(srcRoot)
	case p.abs != "":
		return sarif.NewSimpleArtifactLocation(fileURI(p.abs))
	}
	return sarif.NewArtifactLocation().WithDescriptionText("standard input")
}

// suppressionLocation points at the ignore entry that silenced a finding; by is "file:line",
// a file, or empty.
func (s SARIF) suppressionLocation(by string) *sarif.Location {
	file, line := by, 0
	if i := strings.LastIndexByte(by, ':'); i > 0 {
		if n, err := strconv.Atoi(by[i+1:]); err == nil && n > 0 {
			file, line = by[:i], n
		}
	}
	if file == "" {
		return sarif.NewLocation().WithMessage(sarif.NewTextMessage("an ignore entry of the configuration"))
	}
	pl := sarif.NewPhysicalLocation().WithArtifactLocation(s.artifact(file))
	if line > 0 {
		pl.WithRegion(sarif.NewRegion().WithStartLine(line))
	}
	return sarif.NewLocationWithPhysicalLocation(pl)
}

// region is a finding's span. SARIF's endColumn is exclusive, as our End is; a position we
// do not know (line 0) leaves the region out, and so the whole file is meant.
func region(start, end jsonpos.Pos) *sarif.Region {
	if start.Line < 1 {
		return nil
	}
	r := sarif.NewRegion().WithStartLine(start.Line)
	if start.Column < 1 {
		return r
	}
	r.WithStartColumn(start.Column)
	if end.Line > start.Line || end.Line == start.Line && end.Column >= start.Column {
		r.WithEndLine(end.Line)
		if end.Column >= 1 {
			r.WithEndColumn(end.Column)
		}
	}
	return r
}

func ruleDescriptor(r *rules.Rule) *sarif.ReportingDescriptor {
	d := sarif.NewRule(r.ID).WithName(r.ID).WithShortDescription(sarif.NewMultiformatMessageString(r.Title))
	if r.Description != "" {
		d.WithFullDescription(sarif.NewMultiformatMessageString(r.Description))
	}
	if r.DocsURL != "" {
		d.WithHelpURI(r.DocsURL)
	}
	help := cmp.Or(r.Doc, r.Description, r.Title)
	d.WithHelp(sarif.NewMultiformatMessageString(help).WithMarkdown(help))
	d.WithDefaultConfiguration(sarif.NewReportingConfiguration().WithLevel(sarifLevel(r.Level)))
	tags := []string{"aws", "ssm", "resource-policy"}
	if r.Level == finding.SecurityWarning {
		tags = append(tags, "security")
		d.Properties = sarif.Properties{"tags": tags, "security-severity": securitySeverity}
	} else {
		d.Properties = sarif.Properties{"tags": tags}
	}
	return d
}

// fingerprints makes partial fingerprints from what identifies a finding whatever the line
// it is on: rule, file, JSON pointer, resource. Findings that share all four are told apart
// by their rank among them, as GitHub's own line hashes are.
type fingerprints map[string]int

func (fp fingerprints) next(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	sum := hex.EncodeToString(h.Sum(nil)[:16])
	fp[sum]++
	return fmt.Sprintf("%s:%d", sum, fp[sum])
}

// dirURI is the file:// URI of a directory, with the trailing slash SARIF requires of a
// base URI.
func dirURI(dir string) string {
	u := fileURI(dir)
	if !strings.HasSuffix(u, "/") {
		u += "/"
	}
	return u
}
