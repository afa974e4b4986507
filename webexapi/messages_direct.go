package webexapi

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
)

// ListDirect returns the messages of the 1:1 space between the token's owner and the person with
// that e-mail (GET /messages/direct), newest first, as Webex returns them.
func (s *MessagesService) ListDirect(ctx context.Context, personEmail string) ([]Message, error) {
	if personEmail == "" {
		return nil, fmt.Errorf("list direct messages: no e-mail")
	}
	var out listResponse[Message]
	if _, err := s.c.do(ctx, http.MethodGet, "/messages/direct", url.Values{"personEmail": {personEmail}}, nil, &out); err != nil {
		return nil, fmt.Errorf("list direct messages: %w", err)
	}
	return out.Items, nil
}
