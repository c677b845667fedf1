package clientcheck

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"
)

// execute runs argv with env until it ends, timeout passes or ctx ends,
// keeping the first limit bytes of each output and looking for secrets in
// all of it. Whatever the command started is stopped when it ends.
func execute(ctx context.Context, argv, env []string, timeout time.Duration, limit int, secrets []string) (*Outcome, error) {
	stdout := &output{limit: limit, secrets: secrets}
	stderr := &output{limit: limit, secrets: secrets}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = env
	ownGroup(cmd)
	// The outputs are pipes of our own, not exec's: exec waits until every
	// process holding them has closed them, and a child the command left
	// behind may never do so.
	outR, outW, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("pipe: %w", err)
	}
	errR, errW, err := os.Pipe()
	if err != nil {
		outR.Close()
		outW.Close()
		return nil, fmt.Errorf("pipe: %w", err)
	}
	cmd.Stdout, cmd.Stderr = outW, errW
	var copying sync.WaitGroup
	for _, c := range []struct {
		r *os.File
		w *output
	}{{outR, stdout}, {errR, stderr}} {
		copying.Add(1)
		go func() {
			defer copying.Done()
			io.Copy(c.w, c.r)
		}()
	}
	closeAll := func() {
		outR.Close()
		errR.Close()
	}
	start := time.Now()
	err = cmd.Start()
	outW.Close()
	errW.Close()
	if err != nil {
		closeAll()
		copying.Wait()
		return nil, fmt.Errorf("start %s: %w", argv[0], err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	o := &Outcome{start: start}
	select {
	case err = <-done:
	case <-timer.C:
		o.Killed = true
		killGroup(cmd)
		err = <-done
	case <-ctx.Done():
		killGroup(cmd)
		<-done
		closeAll()
		copying.Wait()
		return nil, ctx.Err()
	}
	o.Duration = time.Since(start)
	killGroup(cmd) // anything it left running
	// The outputs end when the last process holding them has ended; a
	// process that left the group is not waited for long.
	copied := make(chan struct{})
	go func() { copying.Wait(); close(copied) }()
	select {
	case <-copied:
	case <-time.After(2 * time.Second):
		closeAll()
		<-copied
	}
	closeAll()
	var exit *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exit):
	default:
		return nil, fmt.Errorf("wait for %s: %w", argv[0], err)
	}
	o.ExitCode = cmd.ProcessState.ExitCode()
	o.Stdout, o.StdoutCut = stdout.shown()
	o.Stderr, o.StderrCut = stderr.shown()
	for _, l := range []struct {
		name string
		o    *output
	}{{"standard output", stdout}, {"standard error", stderr}} {
		if l.o.leaked {
			o.leaks = append(o.leaks, l.name)
		}
	}
	return o, nil
}

// basic is the value of a Basic Authorization header's credentials.
func basic(user, pass string) string {
	return base64.StdEncoding.EncodeToString([]byte(user + ":" + pass))
}

// output keeps the start of what a command writes, and notes whether any
// of the secrets appears anywhere in it, across writes.
type output struct {
	limit   int
	secrets []string
	kept    bytes.Buffer
	cut     bool
	tail    []byte // the end of what came, as long as the longest secret less one
	leaked  bool
}

// Write keeps what fits and looks for the secrets.
func (o *output) Write(p []byte) (int, error) {
	n := min(len(p), max(o.limit-o.kept.Len(), 0))
	o.kept.Write(p[:n])
	o.cut = o.cut || n < len(p)
	longest := 0
	for _, s := range o.secrets {
		longest = max(longest, len(s))
	}
	window := append(o.tail, p...)
	for _, s := range o.secrets {
		if s != "" && bytes.Contains(window, []byte(s)) {
			o.leaked = true
		}
	}
	if keep := longest - 1; len(window) > keep {
		window = window[len(window)-keep:]
	}
	o.tail = append([]byte(nil), window...)
	return len(p), nil
}

// shown returns what was kept with every secret, and the start of one cut
// off at the end, replaced, and whether more was written.
func (o *output) shown() (string, bool) {
	s := o.kept.String()
	for _, sec := range o.secrets {
		if sec != "" {
			s = strings.ReplaceAll(s, sec, "xxxxx")
		}
	}
	if o.cut {
		for _, sec := range o.secrets {
			for n := len(sec) - 1; n > 0; n-- {
				if strings.HasSuffix(s, sec[:n]) {
					s = s[:len(s)-n] + "xxxxx"
					break
				}
			}
		}
	}
	return s, o.cut
}
