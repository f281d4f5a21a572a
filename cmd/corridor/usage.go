package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
)

// Exit statuses, the same for every command.
const (
	exitOK      = 0 // The command did what was asked (and --help).
	exitFailure = 1 // It could not: a refusal, a failure, a file that does not validate.
	exitUsage   = 2 // It was called wrongly: an unknown command or flag, a missing argument.
)

// exitStatuses is the end of every command's --help.
const exitStatuses = `
Exit status: 0 success, 1 failure, 2 usage error (unknown flag, missing or extra argument).
`

// usageError is a mistake in how corridor was called: exit status 2.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

// usagef is a usageError with a formatted message.
func usagef(format string, args ...any) error { return usageError{fmt.Errorf(format, args...)} }

// exitError ends corridor with a status of its own after saying err, or
// only the status when err is nil (the command has said what it found).
type exitError struct {
	status int
	err    error
}

func (e exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit status %d", e.status)
	}
	return e.err.Error()
}
func (e exitError) Unwrap() error { return e.err }

// exitStatus is the process's exit status for run's err.
func exitStatus(err error) int {
	var ee exitError
	var ue usageError
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return exitOK
	case errors.As(err, &ee):
		return ee.status
	case errors.As(err, &ue):
		return exitUsage
	}
	return exitFailure
}

// silent reports whether err was already said in full: help, and an
// exitError that carries only a status.
func silent(err error) bool {
	var ee exitError
	return errors.Is(err, flag.ErrHelp) || (errors.As(err, &ee) && ee.err == nil)
}

// parseFlags parses args into fs. --help prints fs's usage and the exit
// statuses on stdout and returns flag.ErrHelp; a bad flag is returned as a
// usageError, once: the flag package prints nothing itself.
func parseFlags(fs *flag.FlagSet, args []string, stdout io.Writer) error {
	usage := fs.Usage
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	err := fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		fs.SetOutput(stdout)
		usage()
		fmt.Fprint(stdout, exitStatuses)
		return err
	}
	if err != nil {
		return usageError{fmt.Errorf("%s: %w (see 'corridor %s --help')", fs.Name(), err, fs.Name())}
	}
	return nil
}
