package fetch

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"syscall"
)

// ErrBlockedAddress is returned when a dial would reach an address that the
// SSRF guard refuses (loopback, private, link-local, metadata, ...).
var ErrBlockedAddress = errors.New("fetch: address not allowed")

// refused lists the ranges no source may make us connect to unless an
// operator allows them explicitly. Checked after the stdlib predicates
// (loopback, private, link-local, multicast, unspecified) which cover the
// rest.
var refused = mustPrefixes(
	"0.0.0.0/8",       // "this network"
	"100.64.0.0/10",   // CGNAT, often internal in clouds
	"169.254.0.0/16",  // link-local, incl. 169.254.169.254 metadata
	"192.0.0.0/24",    // IETF protocol assignments
	"192.0.2.0/24",    // documentation
	"198.18.0.0/15",   // benchmarking
	"198.51.100.0/24", // documentation
	"203.0.113.0/24",  // documentation
	"240.0.0.0/4",     // reserved, incl. broadcast
	"64:ff9b:1::/48",  // local-use NAT64
	"100::/64",        // discard
	"2001::/32",       // Teredo: tunnels to arbitrary IPv4
	"2001:db8::/32",   // documentation
	"fc00::/7",        // unique local, incl. fd00:ec2::254 metadata
	"fec0::/10",       // deprecated site-local
	"::/128",          // unspecified
	"::ffff:0:0:0/96", // SIIT-translated
)

func mustPrefixes(ss ...string) []netip.Prefix {
	out := make([]netip.Prefix, len(ss))
	for i, s := range ss {
		out[i] = netip.MustParsePrefix(s)
	}
	return out
}

// CheckAddr decides whether a connection to ip is allowed. allow lists
// prefixes the operator has opened (e.g. 127.0.0.1/32 in tests); anything
// else public is allowed, anything internal refused. It does no I/O, so the
// guard is tested on addresses alone.
func CheckAddr(ip netip.Addr, allow []netip.Prefix) error {
	if !ip.IsValid() {
		return fmt.Errorf("%w: invalid address", ErrBlockedAddress)
	}
	ip = ip.WithZone("")
	for _, p := range allow {
		if p.Contains(ip) {
			return nil
		}
	}
	if ip.Is4In6() {
		// An IPv4-mapped IPv6 address is refused even when the IPv4 address
		// is public: nothing legitimate needs it, and it is a classic way
		// around IPv4-only deny lists. An allowed IPv4 prefix still applies.
		u := ip.Unmap()
		for _, p := range allow {
			if p.Contains(u) {
				return nil
			}
		}
		return fmt.Errorf("%w: %s is IPv4-mapped IPv6", ErrBlockedAddress, ip)
	}
	switch {
	case ip.IsLoopback():
		return fmt.Errorf("%w: %s is loopback", ErrBlockedAddress, ip)
	case ip.IsPrivate():
		return fmt.Errorf("%w: %s is private", ErrBlockedAddress, ip)
	case ip.IsLinkLocalUnicast(), ip.IsLinkLocalMulticast():
		return fmt.Errorf("%w: %s is link-local", ErrBlockedAddress, ip)
	case ip.IsMulticast(), ip.IsInterfaceLocalMulticast():
		return fmt.Errorf("%w: %s is multicast", ErrBlockedAddress, ip)
	case ip.IsUnspecified():
		return fmt.Errorf("%w: %s is unspecified", ErrBlockedAddress, ip)
	}
	for _, p := range refused {
		if p.Contains(ip) {
			return fmt.Errorf("%w: %s is in reserved range %s", ErrBlockedAddress, ip, p)
		}
	}
	// Translation prefixes embed an IPv4 address: judge the embedded one.
	if embedded, ok := embeddedIPv4(ip); ok {
		if err := CheckAddr(embedded, allow); err != nil {
			return fmt.Errorf("%w: %s embeds %s", ErrBlockedAddress, ip, embedded)
		}
	}
	return nil
}

var (
	nat64     = netip.MustParsePrefix("64:ff9b::/96")
	sixToFour = netip.MustParsePrefix("2002::/16")
)

// embeddedIPv4 returns the IPv4 address inside a NAT64 (64:ff9b::/96) or
// 6to4 (2002::/16) address.
func embeddedIPv4(ip netip.Addr) (netip.Addr, bool) {
	if !ip.Is6() {
		return netip.Addr{}, false
	}
	b := ip.As16()
	switch {
	case nat64.Contains(ip):
		return netip.AddrFrom4([4]byte{b[12], b[13], b[14], b[15]}), true
	case sixToFour.Contains(ip):
		return netip.AddrFrom4([4]byte{b[2], b[3], b[4], b[5]}), true
	}
	return netip.Addr{}, false
}

// ParseAllow parses a comma-separated list of CIDR prefixes or single
// addresses, as given to --fetch-allow.
func ParseAllow(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if !strings.Contains(f, "/") {
			a, err := netip.ParseAddr(f)
			if err != nil {
				return nil, fmt.Errorf("fetch: bad allow entry %q: %w", f, err)
			}
			out = append(out, netip.PrefixFrom(a, a.BitLen()))
			continue
		}
		p, err := netip.ParsePrefix(f)
		if err != nil {
			return nil, fmt.Errorf("fetch: bad allow entry %q: %w", f, err)
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

// dialControl returns a net.Dialer Control hook that refuses connections
// to addresses CheckAddr rejects. It runs after DNS resolution, for every
// address tried and on every redirect hop, so a hostname that resolves to
// an internal address is caught too.
func dialControl(allow []netip.Prefix) func(network, address string, c syscall.RawConn) error {
	return func(network, address string, _ syscall.RawConn) error {
		host, _, err := net.SplitHostPort(address)
		if err != nil {
			return fmt.Errorf("%w: %v", ErrBlockedAddress, err)
		}
		ip, err := netip.ParseAddr(host)
		if err != nil {
			return fmt.Errorf("%w: %q is not an IP address", ErrBlockedAddress, host)
		}
		return CheckAddr(ip, allow)
	}
}
