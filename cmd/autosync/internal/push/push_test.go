package push

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestEndpoint(t *testing.T) {
	for in, want := range map[string]string{
		"https://school.example":                   "https://school.example/api/import/users",
		"https://school.example/":                  "https://school.example/api/import/users",
		"https://school.example/api/import/users":  "https://school.example/api/import/users",
		"https://school.example/api/import/users/": "https://school.example/api/import/users",
		"http://127.0.0.1:8080/tenant":             "http://127.0.0.1:8080/tenant/api/import/users",
	} {
		assert.Equal(t, want, Endpoint(in), in)
	}
}

func TestPermanent(t *testing.T) {
	assert.False(t, permanent(errors.New("connection reset by peer")))
	assert.False(t, permanent(nil))
}
