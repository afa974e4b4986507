package webexapi

import (
	"context"
	"fmt"
	"iter"
	"net/url"
	"strconv"
)

// Membership is a person's membership of a room (schema Membership).
type Membership struct {
	ID                string `json:"id"`
	RoomID            string `json:"roomId,omitempty"`
	PersonID          string `json:"personId,omitempty"`
	PersonEmail       string `json:"personEmail,omitempty"`
	PersonDisplayName string `json:"personDisplayName,omitempty"`
	PersonOrgID       string `json:"personOrgId,omitempty"`
	IsModerator       bool   `json:"isModerator,omitempty"`
	IsMonitor         bool   `json:"isMonitor,omitempty"`
	IsRoomHidden      bool   `json:"isRoomHidden,omitempty"`
	RoomType          string `json:"roomType,omitempty"`
	Created           string `json:"created,omitempty"`
}

// MembershipListOptions are GET /memberships' query parameters.
type MembershipListOptions struct {
	RoomID      string
	PersonID    string
	PersonEmail string
	Max         int
}

func (o *MembershipListOptions) values() url.Values {
	q := url.Values{}
	if o == nil {
		return q
	}
	if o.RoomID != "" {
		q.Set("roomId", o.RoomID)
	}
	if o.PersonID != "" {
		q.Set("personId", o.PersonID)
	}
	if o.PersonEmail != "" {
		q.Set("personEmail", o.PersonEmail)
	}
	if o.Max > 0 {
		q.Set("max", strconv.Itoa(o.Max))
	}
	return q
}

// MembershipsService is the memberships API.
type MembershipsService struct{ c *Client }

// List returns the first page of memberships matching opts; see Page.Next.
func (s *MembershipsService) List(ctx context.Context, opts *MembershipListOptions) (*Page[Membership], error) {
	p, err := firstPage[Membership](ctx, s.c, "/memberships", opts.values())
	if err != nil {
		return nil, fmt.Errorf("list memberships: %w", err)
	}
	return p, nil
}

// All iterates over every membership matching opts, across pages.
func (s *MembershipsService) All(ctx context.Context, opts *MembershipListOptions) iter.Seq2[Membership, error] {
	return all(ctx, func(ctx context.Context) (*Page[Membership], error) { return s.List(ctx, opts) })
}
