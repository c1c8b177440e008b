package web

import (
	"net/http"

	"github.com/wijkkaart/wijkkaart/styles"
)

// qml serves GET /styles/{level}.qml: the target=qgis style of the same
// query as a QGIS layer style file for a download of that indicator and
// group (GeoPackage or GeoJSON), whose fields are named
// {indicator}_{group}_value and _status.
func (s *Server) qml(w http.ResponseWriter, r *http.Request) error {
	if err := checkParams(r.URL.Query(), styleQuery...); err != nil {
		return err
	}
	if r.URL.Query().Has("compare") {
		return errBadRequest("compare does not go with a .qml style, which styles the values of a download; use /styles/{level}.json?target=qgis&compare=… with the tiles")
	}
	r = r.Clone(r.Context())
	q := r.URL.Query()
	q.Set("target", string(styles.TargetQGIS))
	r.URL.RawQuery = q.Encode()
	st, err := s.buildStyle(r, append([]string{"target"}, styleQuery...))
	if err != nil {
		return err
	}
	query := st.Metadata.Query
	body, err := st.QML(query.Indicator + "_" + query.Group + "_")
	if err != nil {
		return err
	}
	name := "wijkkaart-" + string(query.Level) + "-" + query.Indicator + "-" + query.Group + ".qml"
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	_, err = w.Write(body)
	return err
}
