package steps

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/autosync/autosync/api/wire"
	"github.com/autosync/autosync/target"
)

// sendWay sends the scenario's file written as way writes it, with the
// credentials how gives, and notes the patrons the answer shows created.
func (s *scenario) sendWay(ctx context.Context, way wire.Way, how target.Credentials) error {
	if err := s.readOnly(how, s.file, s.second); err != nil {
		return err
	}
	req := s.target.WireRequest(how, s.run.runID, s.file, s.fileName, s.second)
	if way.ChallengeFirst {
		if err := s.sendRaw(ctx, way, way.WithoutCredentials(req), target.NoCredentials); err != nil {
			return err
		}
		challenge := s.last.AnswerHeader.Get("WWW-Authenticate")
		if s.last.Status != http.StatusUnauthorized || !strings.HasPrefix(strings.ToLower(challenge), "basic") {
			return fmt.Errorf("%s sends no credentials until the server asks for them: got status %d with WWW-Authenticate %q, want 401 with a Basic challenge (answer %s)",
				way.Name, s.last.Status, challenge, s.last.Answer)
		}
	}
	if err := s.sendRaw(ctx, way, way.Write(req), how); err != nil {
		return err
	}
	if how == target.AsAdmin {
		s.run.created.Note(s.target.Prefix, s.file, s.last.Status, s.answer)
	}
	return nil
}

// sendRaw sends raw and records the exchange.
func (s *scenario) sendRaw(ctx context.Context, way wire.Way, raw wire.Raw, how target.Credentials) error {
	x, obj, err := s.target.SendRaw(ctx, way, raw, how)
	s.exchanges = append(s.exchanges, x)
	s.last, s.answer = x, obj
	return err
}

// wayNamed returns the way of the catalogue called name.
func wayNamed(name string) (wire.Way, error) {
	way, ok := wire.Lookup(name)
	if !ok {
		var names []string
		for _, w := range wire.Ways() {
			names = append(names, fmt.Sprintf("%q", w.Name))
		}
		return wire.Way{}, fmt.Errorf("no way of sending is called %q; the catalogue has %s", name, strings.Join(names, ", "))
	}
	return way, nil
}

func (s *scenario) iSendTheFileAsWayWritesIt(ctx context.Context, name, how string) error {
	way, err := wayNamed(name)
	if err != nil {
		return err
	}
	c := map[string]target.Credentials{"": target.AsAdmin, ", with a wrong password": target.WrongPassword, ", as the non-admin account": target.AsNonAdmin}[how]
	if c == target.AsNonAdmin && s.target.NonAdminUsername == "" {
		return s.skipf("no non-admin account given (--nonadmin-username, --nonadmin-password)")
	}
	return s.sendWay(ctx, way, c)
}
