//go:build !relais_failpoint

package bot

// failpointsBuilt: the shipped binary has no failpoints; Config.Failpoint is ignored.
const failpointsBuilt = false
