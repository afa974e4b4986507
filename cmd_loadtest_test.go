package main

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestRunLoadtestSmall(t *testing.T) {
	t.Parallel()
	var out, errb bytes.Buffer
	code := runLoadtest(context.Background(), []string{"--flows", "3", "--latency", "0", "--dialogues", "2"}, nil, &out, &errb)
	assert.Equal(t, 0, code, errb.String())
	for _, want := range []string{
		"flows completed          3 / 3, errors 0, outcome verified 3, wrong outcomes 0",
		"duplicates               meetings 0, designate messages 0, organizer replies 0",
		"Webex /v1/ calls per flow 8.00 (minimum 8)",
		"open dialogues           2",
	} {
		assert.Contains(t, out.String(), want)
	}
	assert.NotContains(t, out.String(), "above the minimum")
}

func TestRunLoadtestBadArguments(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		{"--flows", "0"},
		{"--rate429", "1.5"},
		{"--latency", "-1s"},
		{"--bot-rate", "0"},
		{"--nope"},
		{"extra"},
	} {
		var out, errb bytes.Buffer
		assert.Equal(t, 2, runLoadtest(context.Background(), args, nil, &out, &errb), "%v", args)
		assert.NotEmpty(t, errb.String(), "%v", args)
	}
}
