package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relaisbot/relais/store"
	"github.com/relaisbot/relais/store/sealed"
	"github.com/relaisbot/relais/webexapi/webextest"
)

func randomKey(t *testing.T) string {
	t.Helper()
	k := make([]byte, sealed.KeySize)
	_, err := rand.Read(k)
	require.NoError(t, err)
	return base64.StdEncoding.EncodeToString(k)
}

func TestConfigMeetingsAuthModes(t *testing.T) {
	t.Parallel()
	key := randomKey(t)
	user := []string{"WEBEX_BOT_TOKEN=b", "WEBEX_INTEGRATION_CLIENT_ID=i", "WEBEX_INTEGRATION_CLIENT_SECRET=s", "RELAIS_ENCRYPTION_KEY=" + key}
	for _, tc := range []struct {
		name string
		env  []string
		want string
	}{
		{"auto with a Service App", []string{"WEBEX_BOT_TOKEN=b", "WEBEX_MEETINGS_TOKEN=m"}, meetingsAuthServiceApp},
		{"auto with both prefers the Service App", append(user, "WEBEX_MEETINGS_REFRESH_TOKEN=r", "WEBEX_CLIENT_ID=c", "WEBEX_CLIENT_SECRET=x"), meetingsAuthServiceApp},
		{"auto with the integration only", user, meetingsAuthUser},
		{"user explicitly, beside a Service App", append(user, "WEBEX_MEETINGS_TOKEN=m", "RELAIS_MEETINGS_AUTH=user"), meetingsAuthUser},
		{"service-app explicitly", []string{"WEBEX_BOT_TOKEN=b", "WEBEX_MEETINGS_TOKEN=m", "RELAIS_MEETINGS_AUTH=service-app"}, meetingsAuthServiceApp},
	} {
		cfg, err := loadConfig(tc.env)
		require.NoError(t, err, tc.name)
		assert.Equal(t, tc.want, cfg.meetingsAuthMode(), tc.name)
	}
}

func TestConfigUserModeErrorsNameTheSetting(t *testing.T) {
	t.Parallel()
	key := randomKey(t)
	base := []string{"WEBEX_BOT_TOKEN=b", "RELAIS_MEETINGS_AUTH=user"}
	cases := map[string][]string{
		"RELAIS_MEETINGS_AUTH":            {"WEBEX_BOT_TOKEN=b", "WEBEX_MEETINGS_TOKEN=m", "RELAIS_MEETINGS_AUTH=admin"},
		"WEBEX_INTEGRATION_CLIENT_ID":     append(base, "RELAIS_ENCRYPTION_KEY="+key),
		"WEBEX_INTEGRATION_CLIENT_SECRET": append(base, "WEBEX_INTEGRATION_CLIENT_ID=i", "RELAIS_ENCRYPTION_KEY="+key),
		"RELAIS_ENCRYPTION_KEY":           append(base, "WEBEX_INTEGRATION_CLIENT_ID=i", "WEBEX_INTEGRATION_CLIENT_SECRET=s"),
		"WEBEX_MEETINGS_TOKEN":            {"WEBEX_BOT_TOKEN=b", "RELAIS_MEETINGS_AUTH=service-app", "WEBEX_INTEGRATION_CLIENT_ID=i", "WEBEX_INTEGRATION_CLIENT_SECRET=s"},
	}
	for name, env := range cases {
		_, err := loadConfig(env)
		var ce *configError
		require.ErrorAs(t, err, &ce, name)
		assert.Equal(t, name, ce.Var)
		assert.NotEmpty(t, ce.Fix, name)
	}

	short := base64.StdEncoding.EncodeToString([]byte("sixteen bytes!!!"))
	_, err := loadConfig(append(base, "WEBEX_INTEGRATION_CLIENT_ID=i", "WEBEX_INTEGRATION_CLIENT_SECRET=s", "RELAIS_ENCRYPTION_KEY=k1:"+short))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "16 bytes")
	assert.NotContains(t, err.Error(), short, "the error never quotes the key")
}

func TestConfigUserModeSecretsFromFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	key := randomKey(t)
	write := func(name, v string) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte(v+"\n"), 0o600))
		return p
	}
	cfg, err := loadConfig([]string{"WEBEX_BOT_TOKEN=b", "RELAIS_MEETINGS_AUTH=user", "WEBEX_INTEGRATION_CLIENT_ID=i",
		"WEBEX_INTEGRATION_CLIENT_SECRET_FILE=" + write("secret", "s3cr3t"),
		"RELAIS_ENCRYPTION_KEY_FILE=" + write("key", "new:"+randomKey(t)+",old:"+key)})
	require.NoError(t, err)
	assert.Equal(t, "s3cr3t", cfg.IntegrationClientSecret)
	kr, err := cfg.keyring()
	require.NoError(t, err)
	assert.Equal(t, []string{"new", "old"}, kr.IDs())
	own := runtimeConfig(cfg).OwnAccounts
	require.NotNil(t, own, "relais run runs user mode: the runtime gets the integration and the keyring")
	assert.Equal(t, "i", own.ClientID)
	assert.Equal(t, "s3cr3t", own.ClientSecret)
	assert.Equal(t, []string{"new", "old"}, own.Keyring.IDs())
}

func TestDoctorUserModeAgainstTheFake(t *testing.T) {
	t.Parallel()
	fake := webextest.NewTestServer(t, webextest.Options{})
	key := randomKey(t)
	env := doctorEnv(t, fake, map[string]string{"WEBEX_MEETINGS_TOKEN": "", "RELAIS_MEETINGS_AUTH": "user",
		"WEBEX_INTEGRATION_CLIENT_ID": fake.IntegrationClientID(), "WEBEX_INTEGRATION_CLIENT_SECRET": fake.IntegrationClientSecret(),
		"RELAIS_ENCRYPTION_KEY": "k1:" + key})
	code, out := runDoctorWith(t, env)
	require.Equal(t, 0, code, out)
	l, _ := doctorLine(t, out, "meetings credential")
	assert.Contains(t, l, "each organizer connects their own Webex account")
	assert.Contains(t, l, "meeting:schedules_write")
	assert.Contains(t, l, "users authorize integrations")
	l, _ = doctorLine(t, out, "encryption key")
	assert.Contains(t, l, "sealed with key id k1")
	assert.NotContains(t, out, key)
	assert.NotContains(t, out, fake.IntegrationClientSecret())

	env = doctorEnv(t, fake, map[string]string{"WEBEX_MEETINGS_TOKEN": "", "RELAIS_MEETINGS_AUTH": "user",
		"WEBEX_INTEGRATION_CLIENT_ID": fake.IntegrationClientID(), "WEBEX_INTEGRATION_CLIENT_SECRET": "wrong",
		"RELAIS_ENCRYPTION_KEY": key})
	code, out = runDoctorWith(t, env)
	require.Equal(t, 1, code, out)
	l, fix := doctorLine(t, out, "meetings credential")
	assert.True(t, strings.HasPrefix(l, "✗"), l)
	assert.Contains(t, l, "WEBEX_INTEGRATION_CLIENT_SECRET")
	assert.NotEmpty(t, fix)

	env = doctorEnv(t, fake, map[string]string{"WEBEX_MEETINGS_TOKEN": "", "RELAIS_MEETINGS_AUTH": "user",
		"WEBEX_INTEGRATION_CLIENT_ID": "unknown", "WEBEX_INTEGRATION_CLIENT_SECRET": "s", "RELAIS_ENCRYPTION_KEY": "nope"})
	code, out = runDoctorWith(t, env)
	require.Equal(t, 1, code, out)
	l, _ = doctorLine(t, out, "meetings credential")
	assert.Contains(t, l, "Client Id is invalid")
	l, fix = doctorLine(t, out, "encryption key")
	assert.True(t, strings.HasPrefix(l, "✗"), l)
	assert.Contains(t, fix, "openssl rand -base64 32")
}

func TestDoctorFindsTokensSealedWithARemovedKey(t *testing.T) {
	t.Parallel()
	fake := webextest.NewTestServer(t, webextest.Options{})
	db := filepath.Join(t.TempDir(), "relais.db")
	oldKey := randomKey(t)
	old, err := sealed.ParseKeyring("old:" + oldKey)
	require.NoError(t, err)
	st, err := store.Open(context.Background(), db)
	require.NoError(t, err)
	a, err := old.SealString("at", store.SealingContext("organizer_tokens", "p1", "access"))
	require.NoError(t, err)
	r, err := old.SealString("rt", store.SealingContext("organizer_tokens", "p1", "refresh"))
	require.NoError(t, err)
	require.NoError(t, st.PutOrganizerToken(context.Background(), store.OrganizerToken{PersonID: "p1", PersonEmail: "a@example.com",
		SealedAccess: a, SealedRefresh: r, KeyID: "old"}))
	require.NoError(t, st.Close())

	base := map[string]string{"WEBEX_MEETINGS_TOKEN": "", "RELAIS_MEETINGS_AUTH": "user", "RELAIS_DB": db,
		"WEBEX_INTEGRATION_CLIENT_ID": fake.IntegrationClientID(), "WEBEX_INTEGRATION_CLIENT_SECRET": fake.IntegrationClientSecret()}
	base["RELAIS_ENCRYPTION_KEY"] = "new:" + randomKey(t)
	code, out := runDoctorWith(t, doctorEnv(t, fake, base))
	require.Equal(t, 1, code, out)
	l, fix := doctorLine(t, out, "encryption key")
	assert.Contains(t, l, "old (1 organizers)")
	assert.Contains(t, fix, "Put the old key back")

	base["RELAIS_ENCRYPTION_KEY"] = "new:" + randomKey(t) + ",old:" + oldKey
	code, out = runDoctorWith(t, doctorEnv(t, fake, base))
	require.Equal(t, 0, code, out)
	l, _ = doctorLine(t, out, "encryption key")
	assert.Contains(t, l, "1 stored token(s) still sealed with an older key")
}
