package rules

import "github.com/autosync/autosync/mockserver/store"

// PatronJSON is a patron as /_mock/patrons shows it: keyed by the CSV column
// names, booleans as JSON booleans, the graduation year a number or null,
// other unset values "". There is no password field, ever.
type PatronJSON struct {
	Username               string `json:"username"`
	Enabled                bool   `json:"enabled"`
	StaffMember            bool   `json:"staffmember"`
	GivenName              string `json:"givenname"`
	Surname                string `json:"surname"`
	MiddleName             string `json:"middlename"`
	PreferredName          string `json:"preferredname"`
	EmailAddress           string `json:"emailaddress"`
	GraduationYear         *int   `json:"graduationyear"`
	AcademicLevel          string `json:"academiclevel"`
	LibraryBarcode         string `json:"librarybarcode"`
	AdminSystemID          string `json:"adminsystemid"`
	Gender                 string `json:"gender"`
	FormClass              string `json:"formclass"`
	PresentationGroupLabel string `json:"presentationgrouplabel"`
}

// NewPatronJSON returns p as /_mock/patrons shows it.
func NewPatronJSON(p store.Patron) PatronJSON {
	j := PatronJSON{
		Username: p.Username, Enabled: p.Enabled, StaffMember: p.StaffMember,
		GivenName: p.GivenName, Surname: p.Surname, MiddleName: p.MiddleName,
		PreferredName: p.PreferredName, EmailAddress: p.EmailAddress,
		AcademicLevel: p.AcademicLevel, LibraryBarcode: p.LibraryBarcode,
		AdminSystemID: p.AdminSystemID, Gender: p.Gender, FormClass: p.FormClass,
		PresentationGroupLabel: p.PresentationGroupLabel,
	}
	if p.GraduationYear != 0 {
		y := p.GraduationYear
		j.GraduationYear = &y
	}
	return j
}

// Patron returns the patron j shows, without a password: what a tool that
// reads a /_mock/patrons dump (autosync lint --existing) knows of it.
func (j PatronJSON) Patron() store.Patron {
	p := store.Patron{
		Username: j.Username, Enabled: j.Enabled, StaffMember: j.StaffMember,
		GivenName: j.GivenName, Surname: j.Surname, MiddleName: j.MiddleName,
		PreferredName: j.PreferredName, EmailAddress: j.EmailAddress,
		AcademicLevel: j.AcademicLevel, LibraryBarcode: j.LibraryBarcode,
		AdminSystemID: j.AdminSystemID, Gender: j.Gender, FormClass: j.FormClass,
		PresentationGroupLabel: j.PresentationGroupLabel,
	}
	if j.GraduationYear != nil {
		p.GraduationYear = *j.GraduationYear
	}
	return p
}
