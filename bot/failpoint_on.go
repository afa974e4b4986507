//go:build relais_failpoint

package bot

// failpointsBuilt: this binary was built for the crash tests; Config.Failpoint works.
const failpointsBuilt = true
