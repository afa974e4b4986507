package webexapi

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// AdaptiveCardContentType is the attachment content type of an adaptive card.
const AdaptiveCardContentType = "application/vnd.microsoft.card.adaptive"

// Attachment is a message attachment: for Relais, an adaptive card.
type Attachment struct {
	// ContentType is AdaptiveCardContentType for cards.
	ContentType string `json:"contentType"`
	// Content is the card JSON (any value that marshals to an AdaptiveCard object).
	Content json.RawMessage `json:"content"`
}

// CardAttachment marshals card (e.g. a map or struct with "type":"AdaptiveCard") into an
// adaptive-card Attachment.
func CardAttachment(card any) (Attachment, error) {
	b, err := json.Marshal(card)
	if err != nil {
		return Attachment{}, fmt.Errorf("encode card: %w", err)
	}
	return Attachment{ContentType: AdaptiveCardContentType, Content: b}, nil
}

// Message is a Webex message (schemas Message / ListMessage).
type Message struct {
	ID       string `json:"id"`
	ParentID string `json:"parentId,omitempty"`
	RoomID   string `json:"roomId,omitempty"`
	// RoomType is "direct" (1:1) or "group".
	RoomType      string   `json:"roomType,omitempty"`
	ToPersonID    string   `json:"toPersonId,omitempty"`
	ToPersonEmail string   `json:"toPersonEmail,omitempty"`
	Text          string   `json:"text,omitempty"`
	Markdown      string   `json:"markdown,omitempty"`
	HTML          string   `json:"html,omitempty"`
	Files         []string `json:"files,omitempty"`
	// PersonID and PersonEmail are the author's.
	PersonID        string       `json:"personId,omitempty"`
	PersonEmail     string       `json:"personEmail,omitempty"`
	MentionedPeople []string     `json:"mentionedPeople,omitempty"`
	MentionedGroups []string     `json:"mentionedGroups,omitempty"`
	Attachments     []Attachment `json:"attachments,omitempty"`
	Created         string       `json:"created,omitempty"`
	Updated         string       `json:"updated,omitempty"`
}

// Room types.
const (
	RoomTypeDirect = "direct"
	RoomTypeGroup  = "group"
)

// MessageRequest is POST /messages' body. Set exactly one of RoomID, ToPersonID or
// ToPersonEmail; Text and/or Markdown (≤ 7,439 bytes); Attachments for a card (then Text is the
// fallback shown by clients that cannot render cards).
type MessageRequest struct {
	RoomID        string       `json:"roomId,omitempty"`
	ParentID      string       `json:"parentId,omitempty"`
	ToPersonID    string       `json:"toPersonId,omitempty"`
	ToPersonEmail string       `json:"toPersonEmail,omitempty"`
	Text          string       `json:"text,omitempty"`
	Markdown      string       `json:"markdown,omitempty"`
	Files         []string     `json:"files,omitempty"`
	Attachments   []Attachment `json:"attachments,omitempty"`
}

// MessageListOptions are GET /messages' query parameters (RoomID is required).
type MessageListOptions struct {
	RoomID   string
	ParentID string
	// MentionedPeople: "me" or person ids (required in group spaces for a bot).
	MentionedPeople []string
	// Before (ISO 8601) or BeforeMessage (id) bound the list.
	Before        string
	BeforeMessage string
	Max           int
}

func (o *MessageListOptions) values() url.Values {
	q := url.Values{}
	if o == nil {
		return q
	}
	q.Set("roomId", o.RoomID)
	if o.ParentID != "" {
		q.Set("parentId", o.ParentID)
	}
	if len(o.MentionedPeople) > 0 {
		q.Set("mentionedPeople", strings.Join(o.MentionedPeople, ","))
	}
	if o.Before != "" {
		q.Set("before", o.Before)
	}
	if o.BeforeMessage != "" {
		q.Set("beforeMessage", o.BeforeMessage)
	}
	if o.Max > 0 {
		q.Set("max", strconv.Itoa(o.Max))
	}
	return q
}

// MessagesService is the messages API.
type MessagesService struct{ c *Client }

// Create posts a message. Like every POST it is retried only on 429 (see RetryPolicy), so the
// client never posts a message twice.
func (s *MessagesService) Create(ctx context.Context, req *MessageRequest) (*Message, error) {
	if req == nil || (req.RoomID == "" && req.ToPersonID == "" && req.ToPersonEmail == "") {
		return nil, fmt.Errorf("create message: no roomId, toPersonId or toPersonEmail")
	}
	var m Message
	if _, err := s.c.do(ctx, http.MethodPost, "/messages", nil, req, &m); err != nil {
		return nil, fmt.Errorf("create message: %w", err)
	}
	return &m, nil
}

// Send posts a message like Create, when the created message is not needed: Webex's answer,
// which repeats the whole message (up to 7,439 bytes of text and any card), is not decoded.
func (s *MessagesService) Send(ctx context.Context, req *MessageRequest) error {
	if req == nil || (req.RoomID == "" && req.ToPersonID == "" && req.ToPersonEmail == "") {
		return fmt.Errorf("create message: no roomId, toPersonId or toPersonEmail")
	}
	if _, err := s.c.do(ctx, http.MethodPost, "/messages", nil, req, nil); err != nil {
		return fmt.Errorf("create message: %w", err)
	}
	return nil
}

// Get returns one message.
func (s *MessagesService) Get(ctx context.Context, messageID string) (*Message, error) {
	if messageID == "" {
		return nil, fmt.Errorf("get message: %w", errNoID)
	}
	var m Message
	if _, err := s.c.do(ctx, http.MethodGet, "/messages/"+url.PathEscape(messageID), nil, nil, &m); err != nil {
		return nil, fmt.Errorf("get message: %w", err)
	}
	return &m, nil
}

// Delete deletes a message.
func (s *MessagesService) Delete(ctx context.Context, messageID string) error {
	if messageID == "" {
		return fmt.Errorf("delete message: %w", errNoID)
	}
	if _, err := s.c.do(ctx, http.MethodDelete, "/messages/"+url.PathEscape(messageID), nil, nil, nil); err != nil {
		return fmt.Errorf("delete message: %w", err)
	}
	return nil
}

// List returns the first page of a room's messages, newest first; see Page.Next.
func (s *MessagesService) List(ctx context.Context, opts *MessageListOptions) (*Page[Message], error) {
	if opts == nil || opts.RoomID == "" {
		return nil, fmt.Errorf("list messages: no roomId")
	}
	p, err := firstPage[Message](ctx, s.c, "/messages", opts.values())
	if err != nil {
		return nil, fmt.Errorf("list messages: %w", err)
	}
	return p, nil
}

// All iterates over every message matching opts, across pages.
func (s *MessagesService) All(ctx context.Context, opts *MessageListOptions) iter.Seq2[Message, error] {
	return all(ctx, func(ctx context.Context) (*Page[Message], error) { return s.List(ctx, opts) })
}
