// Command autosync is the conformance kit for the autoSync patron import API
// of Infiniti and LibPaths: a reference server, a conformance suite, a
// linter, a test-file generator and a client for scheduled jobs.
//
// Usage:
//
//	autosync serve [flags]   run the reference endpoint
//	autosync verify [flags]  run the conformance suite against an endpoint
//	autosync fake [flags]    write a realistic test roster CSV
//
// Run "autosync help" for the list, and "autosync COMMAND -h" for a
// command's flags.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// Exit codes shared by every subcommand.
const (
	exitOK    = 0
	exitFail  = 1 // the work was done and found problems
	exitUsage = 2 // bad flags or arguments
)

// env is how the command sees its environment, so tests can run the real
// command without touching the process's own.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
}

type command struct {
	name    string
	summary string
	run     func(ctx context.Context, e env, args []string) int
}

func commands() []command {
	return []command{
		{"serve", "run the reference autoSync endpoint", runServe},
		{"verify", "run the conformance suite against an endpoint (default: the built-in server)", runVerify},
		{"fake", "write a realistic test roster CSV, optionally with labelled faults", runFake},
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv}, os.Args[1:])
	stop()
	os.Exit(code)
}

func run(ctx context.Context, e env, args []string) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(e.stdout)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(ctx, e, args[1:])
		}
	}
	fmt.Fprintf(e.stderr, "autosync: unknown command %q\n\n", args[0])
	usage(e.stderr)
	return exitUsage
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "autosync: the conformance kit for the autoSync patron import API (Infiniti, LibPaths)")
	fmt.Fprintln(w, "\nUsage: autosync COMMAND [flags]\n\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun \"autosync COMMAND -h\" for a command's flags.")
}

// parseFlags parses args, then fills every flag not given on the command line
// from its environment variable, if set. It returns exitOK and false when
// help was asked for.
func parseFlags(fs *flag.FlagSet, e env, args []string, envNames map[string]string) (int, bool) {
	fs.SetOutput(e.stderr)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK, false
		}
		return exitUsage, false
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	for name, variable := range envNames {
		v := e.getenv(variable)
		if given[name] || v == "" {
			continue
		}
		if err := fs.Set(name, v); err != nil {
			fmt.Fprintf(e.stderr, "autosync %s: %s=%q: %v\n", fs.Name(), variable, v, err)
			return exitUsage, false
		}
	}
	return exitOK, true
}

// writeFlags lists a command's flags for its -h: each with its environment
// variable, if any, and its default.
func writeFlags(fs *flag.FlagSet, envNames map[string]string) {
	fs.VisitAll(func(f *flag.Flag) {
		name, use := flag.UnquoteUsage(f)
		fmt.Fprintf(fs.Output(), "  --%s %s", f.Name, name)
		if v := envNames[f.Name]; v != "" {
			fmt.Fprintf(fs.Output(), " [%s]", v)
		}
		fmt.Fprintf(fs.Output(), "\n      %s", use)
		if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "[]" && f.DefValue != "0" && f.DefValue != "0 bytes" {
			fmt.Fprintf(fs.Output(), " (default %s)", f.DefValue)
		}
		fmt.Fprintln(fs.Output())
	})
}
