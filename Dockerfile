# wijkkaart: one static binary with the map client embedded.
FROM node:20-bookworm-slim AS client
WORKDIR /src/web/client
COPY web/client/package.json web/client/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY web/client/ ./
RUN npm run build

FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
COPY --from=client /src/web/client/dist web/client/dist
RUN CGO_ENABLED=0 go build -trimpath -o /wijkkaart ./cmd/wijkkaart

FROM gcr.io/distroless/static-debian12
COPY --from=build /wijkkaart /wijkkaart
EXPOSE 8080
USER nonroot
ENTRYPOINT ["/wijkkaart"]
CMD ["serve"]
