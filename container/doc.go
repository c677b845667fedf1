// Package container tests the project's container image (Containerfile,
// make image): it builds the image with podman or docker and runs the
// server, an import, a state kept across two containers, the refusal of the
// default password, and verify, lint and fake from the same image. It has
// no code of its own.
package container
