package webexapi

// MeetingsService is the meetings API. It needs a meetings credential: a bot token gets 403.
type MeetingsService struct{ c *Client }
