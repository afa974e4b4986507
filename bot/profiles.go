package bot

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/relaisbot/relais/webexapi"
)

// profileCache remembers people looked up by id, so that an organizer's profile (time zone,
// organization, type) costs one Webex call per hour, not one per message.
type profileCache struct {
	now func() time.Time
	ttl time.Duration
	max int

	mu      sync.Mutex
	entries map[string]profileEntry
	emails  map[string]string // lower-case e-mail → id
}

type profileEntry struct {
	p       webexapi.Person
	expires time.Time
}

func newProfileCache(now func() time.Time, ttl time.Duration, max int) profileCache {
	return profileCache{now: now, ttl: ttl, max: max, entries: make(map[string]profileEntry), emails: make(map[string]string)}
}

func (c *profileCache) get(id string) (webexapi.Person, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[id]
	if !ok || c.now().After(e.expires) {
		return webexapi.Person{}, false
	}
	return e.p, true
}

func (c *profileCache) put(p webexapi.Person) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.entries) >= c.max {
		// Drop expired entries first, then anything: a cache, not a directory.
		now := c.now()
		for k, e := range c.entries {
			if now.After(e.expires) || len(c.entries) >= c.max {
				delete(c.entries, k)
				delete(c.emails, strings.ToLower(e.p.Email()))
			}
			if len(c.entries) < c.max/2 {
				break
			}
		}
	}
	c.entries[p.ID] = profileEntry{p: p, expires: c.now().Add(c.ttl)}
	if e := p.Email(); e != "" {
		c.emails[strings.ToLower(e)] = p.ID
	}
}

func (c *profileCache) byEmail(email string) (webexapi.Person, bool) {
	c.mu.Lock()
	id, ok := c.emails[strings.ToLower(strings.TrimSpace(email))]
	c.mu.Unlock()
	if !ok {
		return webexapi.Person{}, false
	}
	return c.get(id)
}

// person returns the Webex profile of id, from the cache when fresh.
func (b *Bot) person(ctx context.Context, id string) (webexapi.Person, error) {
	if p, ok := b.profiles.get(id); ok {
		return p, nil
	}
	p, err := b.webex.People.Get(ctx, id)
	if err != nil {
		return webexapi.Person{}, err
	}
	b.profiles.put(*p)
	return *p, nil
}

// domainOf returns the lower-case domain of an e-mail address.
func domainOf(email string) string {
	_, d, ok := strings.Cut(strings.ToLower(strings.TrimSpace(email)), "@")
	if !ok {
		return ""
	}
	return d
}

// allowed reports whether a person may use the bot or be a designate: their e-mail domain is
// one of the allowed domains, or, when none is configured, they belong to the bot's organization.
func (b *Bot) allowed(p webexapi.Person) bool {
	if len(b.cfg.AllowedDomains) == 0 {
		return p.OrgID != "" && p.OrgID == b.me.OrgID
	}
	return b.domainAllowed(p.Email())
}

func (b *Bot) domainAllowed(email string) bool {
	d := domainOf(email)
	if d == "" {
		return false
	}
	for _, a := range b.cfg.AllowedDomains {
		if d == a {
			return true
		}
	}
	return false
}
