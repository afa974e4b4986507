package bot

import (
	"context"

	"github.com/rs/zerolog"

	"github.com/relaisbot/relais/conversations"
	"github.com/relaisbot/relais/webexapi"
)

// ChangeMeetingForTest executes a ChangeMeeting effect as if organizer had confirmed it: the
// tests check that only the organizer who scheduled a meeting can change it.
func ChangeMeetingForTest(ctx context.Context, b *Bot, organizer string, c conversations.MeetingChange) conversations.Result {
	t := &turn{organizer: webexapi.Person{Emails: []string{organizer}}, input: conversations.Input{EventID: "test-change"}}
	log := zerolog.Nop()
	return b.changeMeeting(ctx, c, t, newSecrets(), &log)
}
