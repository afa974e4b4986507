package webexapi

import (
	"context"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// Person is a Webex user or bot (schema Person).
type Person struct {
	ID           string   `json:"id"`
	Emails       []string `json:"emails,omitempty"`
	DisplayName  string   `json:"displayName,omitempty"`
	NickName     string   `json:"nickName,omitempty"`
	FirstName    string   `json:"firstName,omitempty"`
	LastName     string   `json:"lastName,omitempty"`
	Avatar       string   `json:"avatar,omitempty"`
	OrgID        string   `json:"orgId,omitempty"`
	Department   string   `json:"department,omitempty"`
	Title        string   `json:"title,omitempty"`
	Created      string   `json:"created,omitempty"`
	LastModified string   `json:"lastModified,omitempty"`
	// Timezone is an IANA zone name, e.g. "America/Toronto" (may be empty).
	Timezone     string `json:"timezone,omitempty"`
	LastActivity string `json:"lastActivity,omitempty"`
	// Status: active, call, DoNotDisturb, inactive, meeting, OutOfOffice, pending, presenting, unknown.
	Status string `json:"status,omitempty"`
	// Type: person, bot or appuser.
	Type string `json:"type,omitempty"`
}

// Person types.
const (
	PersonTypePerson  = "person"
	PersonTypeBot     = "bot"
	PersonTypeAppUser = "appuser"
)

// Email returns the person's first e-mail address, or "".
func (p *Person) Email() string {
	if p == nil || len(p.Emails) == 0 {
		return ""
	}
	return p.Emails[0]
}

// PeopleListOptions are GET /people's query parameters. Webex requires one of Email,
// DisplayName or IDs for a non-admin caller. DisplayName is a prefix search.
type PeopleListOptions struct {
	Email       string
	DisplayName string
	// IDs lists person ids (at most 85, Webex's limit).
	IDs   []string
	OrgID string
	// Max is the page size (0: Webex's default).
	Max int
}

func (o *PeopleListOptions) values() url.Values {
	q := url.Values{}
	if o == nil {
		return q
	}
	if o.Email != "" {
		q.Set("email", o.Email)
	}
	if o.DisplayName != "" {
		q.Set("displayName", o.DisplayName)
	}
	if len(o.IDs) > 0 {
		q.Set("id", strings.Join(o.IDs, ","))
	}
	if o.OrgID != "" {
		q.Set("orgId", o.OrgID)
	}
	if o.Max > 0 {
		q.Set("max", strconv.Itoa(o.Max))
	}
	return q
}

// PeopleService is the people API.
type PeopleService struct{ c *Client }

// Me returns the person (or bot) the token belongs to.
func (s *PeopleService) Me(ctx context.Context) (*Person, error) {
	var p Person
	if _, err := s.c.do(ctx, http.MethodGet, "/people/me", nil, nil, &p); err != nil {
		return nil, fmt.Errorf("get me: %w", err)
	}
	return &p, nil
}

// Get returns one person by id.
func (s *PeopleService) Get(ctx context.Context, personID string) (*Person, error) {
	if personID == "" {
		return nil, fmt.Errorf("get person: %w", errNoID)
	}
	var p Person
	if _, err := s.c.do(ctx, http.MethodGet, "/people/"+url.PathEscape(personID), nil, nil, &p); err != nil {
		return nil, fmt.Errorf("get person: %w", err)
	}
	return &p, nil
}

// List returns the first page of people matching opts; see Page.Next.
func (s *PeopleService) List(ctx context.Context, opts *PeopleListOptions) (*Page[Person], error) {
	p, err := firstPage[Person](ctx, s.c, "/people", opts.values())
	if err != nil {
		return nil, fmt.Errorf("list people: %w", err)
	}
	return p, nil
}

// All iterates over every person matching opts, across pages.
func (s *PeopleService) All(ctx context.Context, opts *PeopleListOptions) iter.Seq2[Person, error] {
	return all(ctx, func(ctx context.Context) (*Page[Person], error) { return s.List(ctx, opts) })
}
