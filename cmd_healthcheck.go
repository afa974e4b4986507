package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"time"
)

func runHealthcheck(ctx context.Context, args []string, _ io.Reader, _, stderr io.Writer) int {
	return healthcheckMain(ctx, os.Getenv("RELAIS_ADMIN_ADDR"), args, stderr)
}

// healthcheckMain GETs the admin health endpoint and returns 0 on 200, 1 otherwise, 2 on bad
// flags: the container's HEALTHCHECK, which has no shell nor curl.
func healthcheckMain(ctx context.Context, adminAddr string, args []string, stderr io.Writer) int {
	fs := flag.NewFlagSet("healthcheck", flag.ContinueOnError)
	fs.SetOutput(stderr)
	target := fs.String("url", "", "the URL to check (default http://127.0.0.1:PORT/healthz from RELAIS_ADMIN_ADDR, :9090 by default)")
	timeout := fs.Duration("timeout", 3*time.Second, "time allowed to the request")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "relais healthcheck: unexpected arguments %q\n", fs.Args())
		return 2
	}
	u := *target
	if u == "" {
		var err error
		if u, err = healthURL(adminAddr); err != nil {
			fmt.Fprintf(stderr, "relais healthcheck: RELAIS_ADMIN_ADDR: %v\n", err)
			return 2
		}
	}
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		fmt.Fprintf(stderr, "relais healthcheck: %v\n", err)
		return 2
	}
	// The admin port is local: never through a proxy.
	client := &http.Client{Transport: &http.Transport{Proxy: nil}}
	resp, err := client.Do(req)
	if err != nil {
		fmt.Fprintf(stderr, "relais healthcheck: %v\n", err)
		return 1
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
	if resp.StatusCode != http.StatusOK {
		fmt.Fprintf(stderr, "relais healthcheck: %s answered %s\n", u, resp.Status)
		return 1
	}
	return 0
}

// healthURL turns the admin listen address into the URL to check: an unspecified host
// (":9090", "0.0.0.0:9090", "[::]:9090") becomes the loopback address.
func healthURL(adminAddr string) (string, error) {
	adminAddr = strings.TrimSpace(adminAddr)
	if adminAddr == "" {
		adminAddr = ":9090"
	}
	host, port, err := net.SplitHostPort(adminAddr)
	if err != nil {
		return "", fmt.Errorf("%q is not HOST:PORT", adminAddr)
	}
	switch host {
	case "", "0.0.0.0":
		host = "127.0.0.1"
	case "::":
		host = "::1"
	}
	return "http://" + net.JoinHostPort(host, port) + "/healthz", nil
}
