module github.com/wijkkaart/wijkkaart

go 1.26.8

require (
	github.com/gorilla/mux v1.8.1
	github.com/hashicorp/golang-lru/v2 v2.0.7
	github.com/paulmach/orb v0.14.0
	github.com/peterbourgon/ff/v3 v3.4.0
	golang.org/x/text v0.44.0
)

require (
	github.com/gogo/protobuf v1.3.2 // indirect
	github.com/paulmach/protoscan v0.2.1 // indirect
	go.mongodb.org/mongo-driver/v2 v2.5.0 // indirect
)
