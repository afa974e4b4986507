package webexapi

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
)

// AttachmentAction is a card submission (schema AttachmentActivity): someone pressed an
// Action.Submit button on the card of message MessageID.
type AttachmentAction struct {
	ID       string `json:"id"`
	PersonID string `json:"personId,omitempty"`
	RoomID   string `json:"roomId,omitempty"`
	// Type is "submit".
	Type      string `json:"type"`
	MessageID string `json:"messageId"`
	// Inputs are the card's input values by input id (Action.Submit data merged in).
	Inputs  map[string]any `json:"inputs,omitempty"`
	Created string         `json:"created,omitempty"`
}

// InputString returns input key as a string ("" when absent or not a string).
func (a *AttachmentAction) InputString(key string) string {
	if a == nil {
		return ""
	}
	s, _ := a.Inputs[key].(string)
	return s
}

// AttachmentActionsService is the attachment actions API.
type AttachmentActionsService struct{ c *Client }

// Get returns one card submission.
func (s *AttachmentActionsService) Get(ctx context.Context, actionID string) (*AttachmentAction, error) {
	if actionID == "" {
		return nil, fmt.Errorf("get attachment action: %w", errNoID)
	}
	var a AttachmentAction
	if _, err := s.c.do(ctx, http.MethodGet, "/attachment/actions/"+url.PathEscape(actionID), nil, nil, &a); err != nil {
		return nil, fmt.Errorf("get attachment action: %w", err)
	}
	return &a, nil
}
