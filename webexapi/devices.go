package webexapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
)

// DefaultCatalogURL is Webex's U2C service catalog, which names the device service (WDM).
const DefaultCatalogURL = "https://u2c.wbx2.com/u2c/api/v1/catalog"

// DefaultDeviceName is the name under which the listener registers (and finds again) its device.
const DefaultDeviceName = "relais-webex-bot"

// Device is a WDM device registration: the websocket listener connects to its WebSocketURL.
type Device struct {
	// URL identifies the device (GET/PUT/DELETE it).
	URL string `json:"url"`
	// WebSocketURL is the Mercury websocket to connect to.
	WebSocketURL   string `json:"webSocketUrl"`
	Name           string `json:"name,omitempty"`
	DeviceName     string `json:"deviceName,omitempty"`
	DeviceType     string `json:"deviceType,omitempty"`
	Model          string `json:"model,omitempty"`
	LocalizedModel string `json:"localizedModel,omitempty"`
	SystemName     string `json:"systemName,omitempty"`
	SystemVersion  string `json:"systemVersion,omitempty"`
	UserID         string `json:"userId,omitempty"`
}

// DeviceRequest is the body that registers a device (POST {wdm}/devices).
type DeviceRequest struct {
	DeviceName     string `json:"deviceName"`
	DeviceType     string `json:"deviceType"`
	LocalizedModel string `json:"localizedModel"`
	Model          string `json:"model"`
	Name           string `json:"name"`
	SystemName     string `json:"systemName"`
	SystemVersion  string `json:"systemVersion"`
}

// NewDeviceRequest returns the registration body for a desktop-type device called name.
func NewDeviceRequest(name string) DeviceRequest {
	if name == "" {
		name = DefaultDeviceName
	}
	return DeviceRequest{
		DeviceName:     name,
		DeviceType:     "DESKTOP",
		LocalizedModel: "go",
		Model:          "go",
		Name:           name,
		SystemName:     name,
		SystemVersion:  "1.0",
	}
}

// DevicesConfig configures a Devices service.
type DevicesConfig struct {
	// CatalogURL is the U2C catalog (default DefaultCatalogURL), read once to find WDM.
	CatalogURL string
	// ServiceURL, if set, is the device service (WDM) root, e.g. "https://wdm-a.wbx2.com/wdm/api/v1";
	// the catalog is then not read.
	ServiceURL string
}

// Devices manages the bot's WDM device registrations through the client's pipeline (bot token,
// retries, typed errors). It is safe for concurrent use.
type Devices struct {
	c   *Client
	cfg DevicesConfig

	mu  sync.Mutex
	wdm string // cached device service root
}

// NewDevices returns a Devices service using c (a bot-token client).
func NewDevices(c *Client, cfg DevicesConfig) *Devices {
	if cfg.CatalogURL == "" {
		cfg.CatalogURL = DefaultCatalogURL
	}
	return &Devices{c: c, cfg: cfg, wdm: strings.TrimRight(cfg.ServiceURL, "/")}
}

// catalog is the part of the U2C hostmap answer we use.
type catalog struct {
	ServiceLinks map[string]string `json:"serviceLinks"`
}

// ServiceURL returns the device service root: the configured one, else the catalog's "wdm"
// service link (looked up once).
func (d *Devices) ServiceURL(ctx context.Context) (string, error) {
	d.mu.Lock()
	wdm := d.wdm
	d.mu.Unlock()
	if wdm != "" {
		return wdm, nil
	}
	u, err := url.Parse(d.cfg.CatalogURL)
	if err != nil {
		return "", fmt.Errorf("device service lookup: bad catalog url: %w", err)
	}
	q := u.Query()
	q.Set("format", "hostmap")
	u.RawQuery = q.Encode()
	var cat catalog
	if _, err := d.c.doURL(ctx, http.MethodGet, u.String(), nil, &cat); err != nil {
		return "", fmt.Errorf("device service lookup: %w", err)
	}
	wdm = strings.TrimRight(cat.ServiceLinks["wdm"], "/")
	if wdm == "" {
		return "", errors.New("device service lookup: catalog has no usable wdm service link")
	}
	if !d.c.trustedHost(wdm) {
		// The bot token would go there: only https on a Webex domain (or the configured API's
		// own host) is used, whatever the catalog says.
		return "", fmt.Errorf("device service lookup: the catalog's wdm link %s is not https on a Webex domain; refused", originOf(wdm))
	}
	d.mu.Lock()
	d.wdm = wdm
	d.mu.Unlock()
	return wdm, nil
}

// List returns the bot's registered devices (GET {wdm}/devices).
func (d *Devices) List(ctx context.Context) ([]Device, error) {
	wdm, err := d.ServiceURL(ctx)
	if err != nil {
		return nil, err
	}
	var out struct {
		Devices []Device `json:"devices"`
	}
	if _, err := d.c.doURL(ctx, http.MethodGet, wdm+"/devices", nil, &out); err != nil {
		return nil, fmt.Errorf("list devices: %w", err)
	}
	return out.Devices, nil
}

// Create registers a new device (POST {wdm}/devices).
func (d *Devices) Create(ctx context.Context, req DeviceRequest) (*Device, error) {
	wdm, err := d.ServiceURL(ctx)
	if err != nil {
		return nil, err
	}
	var dev Device
	if _, err := d.c.doURL(ctx, http.MethodPost, wdm+"/devices", req, &dev); err != nil {
		return nil, fmt.Errorf("register device: %w", err)
	}
	if err := d.check(&dev); err != nil {
		return nil, fmt.Errorf("register device: %w", err)
	}
	return &dev, nil
}

// Get reads a device by its URL.
func (d *Devices) Get(ctx context.Context, deviceURL string) (*Device, error) {
	var dev Device
	if _, err := d.c.doURL(ctx, http.MethodGet, deviceURL, nil, &dev); err != nil {
		return nil, fmt.Errorf("get device: %w", err)
	}
	if err := d.check(&dev); err != nil {
		return nil, fmt.Errorf("get device: %w", err)
	}
	return &dev, nil
}

// Refresh re-sends the registration of an existing device (PUT its URL), which keeps it alive
// and may hand out a new websocket URL.
func (d *Devices) Refresh(ctx context.Context, deviceURL string, req DeviceRequest) (*Device, error) {
	var dev Device
	if _, err := d.c.doURL(ctx, http.MethodPut, deviceURL, req, &dev); err != nil {
		return nil, fmt.Errorf("refresh device: %w", err)
	}
	if err := d.check(&dev); err != nil {
		return nil, fmt.Errorf("refresh device: %w", err)
	}
	return &dev, nil
}

// Delete removes a device registration.
func (d *Devices) Delete(ctx context.Context, deviceURL string) error {
	if _, err := d.c.doURL(ctx, http.MethodDelete, deviceURL, nil, nil); err != nil {
		return fmt.Errorf("delete device: %w", err)
	}
	return nil
}

// Ensure returns the bot's device called req.Name, reusing an existing registration when there
// is one (Webex refuses "excessive device registrations"), else registering a new one. reused
// says which happened.
func (d *Devices) Ensure(ctx context.Context, req DeviceRequest) (dev *Device, reused bool, err error) {
	list, err := d.List(ctx)
	if err != nil {
		return nil, false, err
	}
	for i := range list {
		if list[i].Name == req.Name && d.check(&list[i]) == nil {
			return &list[i], true, nil
		}
	}
	dev, err = d.Create(ctx, req)
	if err != nil {
		return nil, false, err
	}
	return dev, false, nil
}

// check rejects a device the listener could not use, or whose URLs would take the bot token
// elsewhere than Webex (a tampered answer, a plain-text URL).
func (d *Devices) check(dev *Device) error {
	for _, s := range []struct {
		name, v string
		ws      bool
	}{{"url", dev.URL, false}, {"webSocketUrl", dev.WebSocketURL, true}} {
		u, err := url.Parse(s.v)
		if s.v == "" || err != nil || u.Host == "" {
			return fmt.Errorf("device has no usable %s", s.name)
		}
		if (s.ws && !d.c.trustedWebsocket(s.v)) || (!s.ws && !d.c.trustedHost(s.v)) {
			return fmt.Errorf("device %s %s is not a secure Webex address; refused", s.name, originOf(s.v))
		}
	}
	return nil
}

// originOf is scheme://host of a URL, for error messages (never its path or query).
func originOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable URL)"
	}
	return u.Scheme + "://" + u.Host
}
