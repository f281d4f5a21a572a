package pki_test

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"testing"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/pki"
)

func TestIdentityOf(t *testing.T) {
	tests := []struct {
		name    string
		subject pkix.Name
		want    corridor.Identity
		wantErr bool
	}{
		{"Operator", pkix.Name{CommonName: "operator", OrganizationalUnit: []string{"operator"}},
			corridor.Identity{Role: corridor.RoleOperator, Name: "operator"}, false},
		{"Participant", pkix.Name{CommonName: "DEMOINBBXXX", Organization: []string{"Demo Bank"}, OrganizationalUnit: []string{"participant"}},
			corridor.Identity{Role: corridor.RoleParticipant, BIC: "DEMOINBBXXX", Name: "Demo Bank"}, false},
		{"ParticipantBIC8", pkix.Name{CommonName: "DEMOINBB", Organization: []string{"Demo Bank"}, OrganizationalUnit: []string{"participant"}},
			corridor.Identity{Role: corridor.RoleParticipant, BIC: "DEMOINBBXXX", Name: "Demo Bank"}, false},
		{"ErrParticipantNotBIC", pkix.Name{CommonName: "demo bank", Organization: []string{"Demo Bank"}, OrganizationalUnit: []string{"participant"}},
			corridor.Identity{}, true},
		{"ErrParticipantNoOrganization", pkix.Name{CommonName: "DEMOINBBXXX", OrganizationalUnit: []string{"participant"}},
			corridor.Identity{}, true},
		{"ErrOperatorNoName", pkix.Name{OrganizationalUnit: []string{"operator"}}, corridor.Identity{}, true},
		{"ErrHub", pkix.Name{CommonName: "hub", OrganizationalUnit: []string{"hub"}}, corridor.Identity{}, true},
		{"ErrNoUnit", pkix.Name{CommonName: "operator"}, corridor.Identity{}, true},
		{"ErrTwoUnits", pkix.Name{CommonName: "DEMOINBBXXX", Organization: []string{"Demo Bank"}, OrganizationalUnit: []string{"participant", "operator"}},
			corridor.Identity{}, true},
		{"ErrUnitCase", pkix.Name{CommonName: "operator", OrganizationalUnit: []string{"Operator"}}, corridor.Identity{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := pki.IdentityOf(&x509.Certificate{Subject: tt.subject})
			if tt.wantErr {
				if !errors.Is(err, corridor.ErrUnauthorized) {
					t.Errorf("IdentityOf(%+v) = %+v, %v; want corridor.ErrUnauthorized", tt.subject, got, err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("IdentityOf(%+v) = %+v, %v; want %+v", tt.subject, got, err, tt.want)
			}
		})
	}
	t.Run("ErrNil", func(t *testing.T) {
		if _, err := pki.IdentityOf(nil); !errors.Is(err, corridor.ErrUnauthorized) {
			t.Errorf("IdentityOf(nil) = %v; want corridor.ErrUnauthorized", err)
		}
	})
}
