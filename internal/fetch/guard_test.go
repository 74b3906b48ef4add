package fetch

import (
	"errors"
	"net/netip"
	"testing"
)

// The guard is tested on its decision function only: no packet leaves the
// machine.
func TestCheckAddr(t *testing.T) {
	loop := []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}
	tests := []struct {
		addr  string
		allow []netip.Prefix
		ok    bool
	}{
		{"93.184.215.14", nil, true},
		{"2606:2800:21f:cb07:6820:80da:af6b:8b2c", nil, true},
		{"127.0.0.1", nil, false},
		{"127.8.9.1", nil, false},
		{"::1", nil, false},
		{"10.1.2.3", nil, false},
		{"172.16.0.1", nil, false},
		{"172.31.255.255", nil, false},
		{"192.168.1.1", nil, false},
		{"169.254.169.254", nil, false}, // cloud metadata
		{"169.254.1.1", nil, false},
		{"100.64.0.1", nil, false}, // CGNAT
		{"100.127.255.254", nil, false},
		{"100.128.0.1", nil, true},
		{"0.0.0.0", nil, false},
		{"::", nil, false},
		{"224.0.0.1", nil, false},
		{"239.255.255.250", nil, false},
		{"ff02::1", nil, false},
		{"fe80::1", nil, false},
		{"fe80::1%eth0", nil, false},
		{"fc00::1", nil, false},
		{"fd00:ec2::254", nil, false}, // AWS IPv6 metadata
		{"::ffff:127.0.0.1", nil, false},
		{"::ffff:10.0.0.1", nil, false},
		{"::ffff:8.8.8.8", nil, false}, // mapped: refused regardless
		{"64:ff9b::a00:1", nil, false}, // NAT64 of 10.0.0.1
		{"64:ff9b::808:808", nil, true},
		{"2002:a00:1::", nil, false}, // 6to4 of 10.0.0.1
		{"255.255.255.255", nil, false},
		{"198.18.0.1", nil, false},
		{"127.0.0.1", loop, true},
		{"127.0.0.2", loop, false},
		{"::ffff:127.0.0.1", loop, true},
		{"10.0.0.1", loop, false},
	}
	for _, tt := range tests {
		t.Run(tt.addr, func(t *testing.T) {
			err := CheckAddr(netip.MustParseAddr(tt.addr), tt.allow)
			if (err == nil) != tt.ok {
				t.Fatalf("CheckAddr(%s) = %v, want allowed=%v", tt.addr, err, tt.ok)
			}
			if err != nil && !errors.Is(err, ErrBlockedAddress) {
				t.Fatalf("error %v does not wrap ErrBlockedAddress", err)
			}
		})
	}
	if CheckAddr(netip.Addr{}, nil) == nil {
		t.Fatal("invalid address allowed")
	}
}

func TestDialControlRefusesHostnames(t *testing.T) {
	ctl := dialControl(nil)
	for _, a := range []string{"localhost:80", "127.0.0.1:80", "[::1]:443", "nonsense"} {
		if err := ctl("tcp", a, nil); err == nil {
			t.Errorf("dialControl(%q) allowed", a)
		}
	}
	if err := ctl("tcp", "8.8.8.8:443", nil); err != nil {
		t.Errorf("public address refused: %v", err)
	}
}

func TestParseAllow(t *testing.T) {
	p, err := ParseAllow("127.0.0.1/32, ::1,10.0.0.0/8")
	if err != nil || len(p) != 3 || p[1].Bits() != 128 {
		t.Fatalf("ParseAllow = %v, %v", p, err)
	}
	if _, err := ParseAllow("not-an-ip"); err == nil {
		t.Fatal("bad entry accepted")
	}
}
