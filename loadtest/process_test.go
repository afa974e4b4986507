package loadtest

import (
	"context"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relaisbot/relais/webexapi/webextest"
)

// fakeArg makes the test binary act as `relais fake-webex` (flags --addr and --directory).
const fakeArg = "act-as-fake-webex"

func TestMain(m *testing.M) {
	if len(os.Args) > 1 && os.Args[1] == fakeArg {
		os.Exit(actAsFake(os.Args[2:]))
	}
	os.Exit(m.Run())
}

func actAsFake(args []string) int {
	fs := flag.NewFlagSet(fakeArg, flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:0", "")
	dir := fs.String("directory", "", "")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	people, err := webextest.LoadDirectory(*dir)
	if err != nil {
		return 1
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return 1
	}
	fake := webextest.New(webextest.Options{Directory: people})
	defer fake.Close()
	fake.SetURL("http://" + ln.Addr().String())
	fmt.Printf("WEBEX_API_URL=%s\nWEBEX_BOT_TOKEN=%s\nWEBEX_MEETINGS_TOKEN=%s\nWEBEX_CATALOG_URL=%s\n",
		fake.APIURL(), fake.BotToken(), fake.MeetingsToken(), fake.CatalogURL())
	srv := &http.Server{Handler: fake.Handler()}
	go func() { _ = srv.Serve(ln) }()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	<-ctx.Done()
	return 0
}

// With the fake in a process of its own, the driver works through its control API.
func TestRunWithFakeProcess(t *testing.T) {
	t.Parallel()
	rep, err := Run(context.Background(), Config{Flows: 3, Dialogues: 2, FakeCommand: []string{os.Args[0], fakeArg}})
	require.NoError(t, err)
	assert.Equal(t, 3, rep.Completed)
	assert.Equal(t, 3, rep.Verified)
	assert.Zero(t, rep.Errors+rep.Problems+rep.DuplicateMeetings+rep.DuplicateDesignate+rep.DuplicateReplies)
	for ep, want := range MinimumCalls {
		assert.Equal(t, 3*want, rep.Calls[ep], ep)
	}
	assert.Equal(t, 2, rep.DialoguesOpened)
}

func TestFakeProcessThatDoesNotStart(t *testing.T) {
	t.Parallel()
	_, err := Run(context.Background(), Config{Flows: 1, FakeCommand: []string{os.Args[0] + "-missing"}})
	require.Error(t, err)
}
