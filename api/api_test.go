package api_test

import (
	"testing"

	"github.com/autosync/autosync/api"
	"github.com/stretchr/testify/assert"
)

func TestURLs(t *testing.T) {
	for _, in := range []string{"https://school.example", "https://school.example/", "https://school.example/api/import/users", "https://school.example/api/import/users/"} {
		assert.Equal(t, "https://school.example", api.BaseURL(in), in)
		assert.Equal(t, "https://school.example/api/import/users", api.ImportURL(in), in)
	}
	assert.Equal(t, "https://school.example/autosync/api/import/users", api.ImportURL("https://school.example/autosync"))
}
