package webexapi

// SetClusterForTest makes the listener believe the REST ids of a conversation's messages carry
// the given cluster.
func SetClusterForTest(l *Listener, conversationID, cluster string) {
	l.clusters.put(conversationID, cluster)
}
