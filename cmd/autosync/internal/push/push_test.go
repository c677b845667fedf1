package push

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestPermanent(t *testing.T) {
	assert.False(t, permanent(errors.New("connection reset by peer")))
	assert.False(t, permanent(nil))
}
