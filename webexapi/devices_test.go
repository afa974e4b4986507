package webexapi

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDevicesEnsureReusesByNameElseRegisters(t *testing.T) {
	t.Parallel()
	m := newMiniWebex(t)
	m.devices["other"] = "someone-else"
	d := NewDevices(m.client(t), DevicesConfig{CatalogURL: m.catalogURL()})
	ctx := context.Background()
	dev, reused, err := d.Ensure(ctx, NewDeviceRequest("relais-x"))
	require.NoError(t, err)
	assert.False(t, reused)
	assert.Equal(t, "relais-x", dev.Name)
	again, reused, err := d.Ensure(ctx, NewDeviceRequest("relais-x"))
	require.NoError(t, err)
	assert.True(t, reused)
	assert.Equal(t, dev.URL, again.URL)
	n, created := m.deviceCount()
	assert.Equal(t, 2, n)
	assert.Equal(t, 1, created)
	require.NoError(t, d.Delete(ctx, dev.URL))
	n, _ = m.deviceCount()
	assert.Equal(t, 1, n)
}

func TestDevicesServiceURL(t *testing.T) {
	t.Parallel()
	m := newMiniWebex(t)
	d := NewDevices(m.client(t), DevicesConfig{ServiceURL: "https://wdm.example/wdm/api/v1/", CatalogURL: "http://127.0.0.1:1/unused"})
	u, err := d.ServiceURL(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "https://wdm.example/wdm/api/v1", u, "configured: the catalog is not read")

	noWDM := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeTestJSON(w, map[string]any{"serviceLinks": map[string]string{"conv": "https://conv.example"}})
	}))
	t.Cleanup(noWDM.Close)
	_, err = NewDevices(m.client(t), DevicesConfig{CatalogURL: noWDM.URL}).ServiceURL(context.Background())
	require.Error(t, err)

	_, err = NewDevices(m.client(t, WithToken("nope")), DevicesConfig{CatalogURL: m.catalogURL()}).List(context.Background())
	assert.True(t, IsUnauthorized(err))
}
