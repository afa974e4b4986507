package webexapi

import (
	"context"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strconv"
)

// Room is a Webex space (schema Room).
type Room struct {
	ID    string `json:"id"`
	Title string `json:"title,omitempty"`
	// Type is "direct" (1:1) or "group".
	Type               string `json:"type,omitempty"`
	IsLocked           bool   `json:"isLocked,omitempty"`
	TeamID             string `json:"teamId,omitempty"`
	LastActivity       string `json:"lastActivity,omitempty"`
	CreatorID          string `json:"creatorId,omitempty"`
	Created            string `json:"created,omitempty"`
	OwnerID            string `json:"ownerId,omitempty"`
	IsAnnouncementOnly bool   `json:"isAnnouncementOnly,omitempty"`
	IsReadOnly         bool   `json:"isReadOnly,omitempty"`
	Description        string `json:"description,omitempty"`
}

// RoomsService is the rooms API.
type RoomsService struct{ c *Client }

// Get returns one room.
func (s *RoomsService) Get(ctx context.Context, roomID string) (*Room, error) {
	if roomID == "" {
		return nil, fmt.Errorf("get room: %w", errNoID)
	}
	var r Room
	if _, err := s.c.do(ctx, http.MethodGet, "/rooms/"+url.PathEscape(roomID), nil, nil, &r); err != nil {
		return nil, fmt.Errorf("get room: %w", err)
	}
	return &r, nil
}

// RoomListOptions are GET /rooms' query parameters.
type RoomListOptions struct {
	// Type is "direct" or "group"; empty lists both.
	Type string
	// SortBy is "id", "lastactivity" (most recent first) or "created".
	SortBy string
	Max    int
}

func (o *RoomListOptions) values() url.Values {
	q := url.Values{}
	if o == nil {
		return q
	}
	if o.Type != "" {
		q.Set("type", o.Type)
	}
	if o.SortBy != "" {
		q.Set("sortBy", o.SortBy)
	}
	if o.Max > 0 {
		q.Set("max", strconv.Itoa(o.Max))
	}
	return q
}

// List returns the first page of the spaces the token's owner is in; see Page.Next.
func (s *RoomsService) List(ctx context.Context, opts *RoomListOptions) (*Page[Room], error) {
	p, err := firstPage[Room](ctx, s.c, "/rooms", opts.values())
	if err != nil {
		return nil, fmt.Errorf("list rooms: %w", err)
	}
	return p, nil
}

// All iterates over every space matching opts, across pages.
func (s *RoomsService) All(ctx context.Context, opts *RoomListOptions) iter.Seq2[Room, error] {
	return all(ctx, func(ctx context.Context) (*Page[Room], error) { return s.List(ctx, opts) })
}
