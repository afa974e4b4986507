package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	_ "time/tzdata" // time zones without the OS database (containers)

	"github.com/relaisbot/relais/bot"
	"github.com/relaisbot/relais/conversations"
	"github.com/relaisbot/relais/conversations/nlu"
)

func runRun(ctx context.Context, args []string, _ io.Reader, _, stderr io.Writer) int {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: relais run")
		fmt.Fprintln(stderr, "Runs the bot against Webex. Configuration comes from the environment; see README.md, section Configuration.")
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	cfg, err := loadConfig(os.Environ())
	if err != nil {
		fmt.Fprintf(stderr, "relais run: configuration: %v\n", err)
		return 2
	}
	log := newLogger(stderr, cfg.LogLevel, cfg.LogFormat)
	started := time.Now()
	rt, err := bot.NewRuntime(ctx, runtimeConfig(cfg), log, time.Now)
	if err != nil {
		log.Error().Err(err).Msg("cannot start")
		return 1
	}
	log.Info().Str("mode", cfg.Mode).Str("db", hideDSNPassword(cfg.DB)).Dur("startup", time.Since(started)).Msg("relais started")
	if err := rt.Run(ctx); err != nil {
		log.Error().Err(err).Msg("relais stopped on an error")
		return 1
	}
	return 0
}

// runtimeConfig maps the environment's configuration onto the bot's runtime.
func runtimeConfig(c config) bot.RuntimeConfig {
	return bot.RuntimeConfig{
		APIURL:               c.APIURL,
		CatalogURL:           c.CatalogURL,
		DeviceURL:            c.DeviceURL,
		BotToken:             c.BotToken,
		MeetingsToken:        c.MeetingsToken,
		MeetingsRefreshToken: c.MeetingsRefreshToken,
		RefreshTokenFile:     c.MeetingsRefreshTokenFile,
		ClientID:             c.ClientID,
		ClientSecret:         c.ClientSecret,
		DB:                   c.DB,
		Mode:                 c.Mode,
		WebhookURL:           c.WebhookURL,
		WebhookSecret:        c.WebhookSecret,
		ListenAddr:           c.ListenAddr,
		AdminAddr:            c.AdminAddr,
		RatePerSecond:        c.RatePerSecond,
		DeleteDeviceOnExit:   c.DeleteDeviceOnExit,
		DeviceName:           c.DeviceName,
		OwnAccounts:          c.ownAccounts(),
		Bot: bot.Config{
			DefaultTimeZone:         c.TimeZone,
			DefaultLang:             nlu.Lang(c.Language),
			AllowedDomains:          c.AllowedDomains,
			DesignatesFromOtherOrgs: c.OtherOrgDesignates,
			Dialogue:                conversations.Config{IdleTimeout: c.DialogueIdle},
			ReminderBefore:          c.ReminderBefore,
			MeetingsPerHour:         c.MeetingsPerHour,
			Owner:                   hostname(),
			Lease:                   c.JobLease,
			PollInterval:            c.PollInterval,
			LateAfter:               c.LateAfter,
			Failpoint:               failpoint(),
			CatchUp: bot.CatchUpConfig{
				Window: c.CatchUpWindow, MaxSpaces: c.CatchUpSpaces, PerSpace: c.CatchUpPerSpace, Interval: c.CatchUpInterval,
			},
		},
	}
}

func hostname() string {
	h, err := os.Hostname()
	if err != nil || h == "" {
		return "relais"
	}
	return fmt.Sprintf("%s-%d", h, os.Getpid())
}

// redactDSN hides a database password in logs.
func redactDSN(dsn string) string {
	for i := 0; i+3 < len(dsn); i++ {
		if dsn[i:i+3] == "://" {
			rest := dsn[i+3:]
			for j := 0; j < len(rest); j++ {
				if rest[j] == '@' {
					return dsn[:i+3] + "…@" + rest[j+1:]
				}
				if rest[j] == '/' {
					break
				}
			}
		}
	}
	return dsn
}
