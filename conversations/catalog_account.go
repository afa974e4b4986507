package conversations

import (
	"fmt"
	"time"

	"github.com/relaisbot/relais/conversations/nlu"
)

// Messages of the organizer's own Webex account (account.go), French (Quebec) beside English.

// accountScope says what Relais may and may not do with the organizer's account.
func accountScope(l nlu.Lang) string {
	return t(l,
		"**Ce que Relais pourra faire avec votre compte** : programmer, consulter, modifier et annuler les rencontres Webex que vous lui demandez (vous en serez l'organisateur), et lire votre profil pour vérifier que c'est bien vous.\n\n"+
			"**Ce qu'il ne pourra pas faire** : lire vos messages, vos espaces, vos fichiers ou vos enregistrements, ni programmer au nom de quelqu'un d'autre. Écrivez « déconnecte mon compte » pour lui retirer cet accès en tout temps.",
		"**What Relais will be able to do with your account**: schedule, read, change and cancel the Webex meetings you ask it for (you will be their host), and read your profile to check that it is you.\n\n"+
			"**What it cannot do**: read your messages, spaces, files or recordings, or schedule on behalf of anyone else. Write \"disconnect my account\" to take this access back at any time.")
}

// ConnectMessage is the private message that asks the organizer to connect their own Webex
// account: the link, the code and how long it is valid, and what Relais may and may not do.
// It holds the code: 1:1 spaces only. waiting: a request carries on once approved.
func ConnectMessage(l nlu.Lang, a AccountInfo, now time.Time, waiting bool) string {
	minutes := max(1, int((a.ExpiresAt.Sub(now)+time.Minute-time.Second)/time.Minute))
	link := a.URLComplete
	if link == "" {
		link = a.URL
	}
	intro := t(l,
		"Pour programmer vos rencontres, Relais agit avec **votre propre compte Webex**, que vous devez connecter une fois.",
		"To schedule your meetings, Relais acts with **your own Webex account**, which you connect once.")
	if a.Reconnect {
		intro = t(l,
			"La connexion de votre compte Webex ne fonctionne plus (elle a été retirée ou elle a expiré) ; je l'ai oubliée. Pour continuer, connectez votre compte de nouveau.",
			"The connection to your Webex account no longer works (it was revoked or it expired); I've forgotten it. To go on, connect your account again.")
	}
	next := t(l,
		"Dès que vous aurez accepté, votre compte sera connecté.",
		"As soon as you accept, your account will be connected.")
	if waiting {
		next = t(l,
			"Dès que vous aurez accepté, je poursuis votre demande, sans que vous ayez à la répéter (« annuler » l'abandonne).",
			"As soon as you accept, I carry on with your request; you don't need to repeat it (\"cancel\" drops it).")
	}
	steps := t(l,
		fmt.Sprintf("1. Ouvrez ce lien : [connecter mon compte Webex](%s) (ou, sur un autre appareil, allez à %s et entrez le code **%s**).\n2. Connectez-vous avec votre compte Webex et acceptez.\n\nLe code est valable %d minutes.", link, a.URL, esc(a.UserCode), minutes),
		fmt.Sprintf("1. Open this link: [connect my Webex account](%s) (or, on another device, go to %s and enter the code **%s**).\n2. Sign in with your Webex account and accept.\n\nThe code is valid for %d minutes.", link, a.URL, esc(a.UserCode), minutes))
	return intro + "\n\n" + steps + " " + next + "\n\n" + accountScope(l)
}

func msgAccountPrivately(l nlu.Lang) string {
	return t(l,
		"Je vous ai écrit en privé : pour programmer vos rencontres, je dois d'abord être connecté à votre compte Webex. Suivez les étapes de mon message privé ; je poursuivrai ici ensuite.",
		"I've written to you privately: to schedule your meetings, I first need to be connected to your Webex account. Follow the steps in my private message; I'll carry on here afterwards.")
}

func msgAccountWaiting(l nlu.Lang) string {
	return t(l,
		"J'attends que vous connectiez votre compte Webex (le lien et le code sont dans mon message privé). Répondez « oui » pour recevoir le lien de nouveau, ou « annuler » pour abandonner la demande.",
		"I'm waiting for you to connect your Webex account (the link and the code are in my private message). Answer \"yes\" to get the link again, or \"cancel\" to drop the request.")
}

func msgAccountConnected(l nlu.Lang, waiting bool) string {
	if waiting {
		return t(l, "Votre compte Webex est connecté. Je poursuis votre demande.",
			"Your Webex account is connected. I'm carrying on with your request.")
	}
	return t(l,
		"Votre compte Webex est connecté : vos prochaines rencontres seront programmées à votre nom. Écrivez « déconnecte mon compte » pour retirer cet accès.",
		"Your Webex account is connected: your next meetings will be scheduled in your name. Write \"disconnect my account\" to take this access back.")
}

func msgAccountAlready(l nlu.Lang) string {
	return t(l,
		"Votre compte Webex est déjà connecté ; vous n'avez rien à faire. Écrivez « déconnecte mon compte » pour retirer cet accès.",
		"Your Webex account is already connected; there is nothing to do. Write \"disconnect my account\" to take this access back.")
}

func msgAccountUnavailable(l nlu.Lang) string {
	return t(l,
		"Je n'arrive pas à joindre Webex pour connecter votre compte en ce moment ; rien n'a été créé. Réessayez dans quelques minutes.",
		"I can't reach Webex to connect your account right now; nothing was created. Please try again in a few minutes.")
}

// msgAccountFailed says why the account was not connected, and how to try again.
func msgAccountFailed(l nlu.Lang, a AccountInfo, retry string) string {
	var why string
	switch a.Outcome {
	case AccountWrongPerson:
		who := esc(a.Approver)
		if who == "" {
			who = t(l, "une autre personne", "someone else")
		}
		why = t(l,
			fmt.Sprintf("Le code a été accepté par **%s**, pas par vous : je ne l'ai pas utilisé, et rien n'a été créé. Seul votre propre compte Webex peut servir.", who),
			fmt.Sprintf("The code was accepted by **%s**, not by you: I did not use it, and nothing was created. Only your own Webex account can be used.", who))
	case AccountDenied:
		why = t(l, "Vous avez refusé l'accès à votre compte Webex : rien n'a été créé.",
			"You declined access to your Webex account: nothing was created.")
	case AccountExpired:
		why = t(l, "Le code a expiré avant d'être accepté : rien n'a été créé.",
			"The code expired before it was accepted: nothing was created.")
	default:
		why = t(l, "Webex a refusé de connecter votre compte : rien n'a été créé. Si cela se reproduit, avisez votre service informatique.",
			"Webex refused to connect your account: nothing was created. If it happens again, tell your IT department.")
	}
	how := t(l, "Pour réessayer, écrivez « connecte mon compte » ; je vous enverrai un nouveau code.",
		"To try again, write \"connect my account\"; I'll send you a new code.")
	if retry == "confirm" {
		how = t(l, "Pour réessayer, répondez « oui » : je vous enverrai un nouveau code. Sinon, écrivez « annuler ».",
			"To try again, answer \"yes\": I'll send you a new code. Otherwise, write \"cancel\".")
	}
	return why + " " + how
}

func msgDisconnected(l nlu.Lang) string {
	return t(l,
		"C'est fait : j'ai supprimé l'accès à votre compte Webex. Vos rencontres déjà programmées restent en place. Webex ne permet pas de retirer l'autorisation elle-même à distance : vous pouvez la retirer dans les réglages de votre compte Webex, ou votre administrateur dans Control Hub. Écrivez « connecte mon compte » pour la redonner.",
		"Done: I've deleted my access to your Webex account. Your meetings already scheduled stay as they are. Webex offers no way to revoke the authorization itself from here: you can remove it in your Webex account settings, or your administrator in Control Hub. Write \"connect my account\" to give it back.")
}

func msgDisconnectFailed(l nlu.Lang) string {
	return t(l,
		"Je n'ai pas réussi à supprimer l'accès à votre compte Webex ; réessayez dans quelques minutes.",
		"I couldn't delete my access to your Webex account; please try again in a few minutes.")
}

func msgAccountNotUsed(l nlu.Lang) string {
	return t(l,
		"Ici, je programme les rencontres avec l'accès que l'organisation m'a donné : vous n'avez aucun compte à connecter.",
		"Here I schedule meetings with the access your organization gave me: you have no account to connect.")
}

// ReminderWithoutKeyMessage reminds the designate of a meeting whose host key Relais can no
// longer read (the organizer disconnected their account): what it can say without the key.
func ReminderWithoutKeyMessage(l nlu.Lang, d MeetingDetails) string {
	org := esc(d.Organizer.Name())
	when := formatRange(l, d.Start, d.End, d.TimeZone)
	return capBytes(t(l,
		fmt.Sprintf("Bonjour,\n\nRappel : vous animez la rencontre Webex « %s », %s, programmée par **%s**. Le lien est dans l'invitation reçue par courriel. Je ne peux plus lire la clé organisateur à jour (le compte Webex de %s n'est plus connecté à Relais) : utilisez celle que je vous ai transmise, ou demandez-la à %s.", esc(d.Title), when, org, org, org),
		fmt.Sprintf("Hello,\n\nReminder: you are running the Webex meeting \"%s\", %s, scheduled by **%s**. The link is in the invitation you received by e-mail. I can no longer read the current host key (%s's Webex account is no longer connected to Relais): use the one I sent you, or ask %s for it.", esc(d.Title), when, org, org, org)))
}

// ReminderNoAccountNotice tells the organizer why the designate's reminder came without the
// host key, and how to fix it.
func ReminderNoAccountNotice(l nlu.Lang, d MeetingDetails) string {
	when := formatRange(l, d.Start, d.End, d.TimeZone)
	return t(l,
		fmt.Sprintf("J'ai rappelé à %s la rencontre « %s » (%s), mais sans la clé organisateur à jour : votre compte Webex n'est plus connecté à Relais. Écrivez « connecte mon compte », puis « renvoie la clé » pour la lui transmettre, ou donnez-la-lui vous-même.", esc(d.Designate.Name()), esc(d.Title), when),
		fmt.Sprintf("I reminded %s of the meeting \"%s\" (%s), but without the current host key: your Webex account is no longer connected to Relais. Write \"connect my account\", then \"resend the key\" to send it, or give it to them yourself.", esc(d.Designate.Name()), esc(d.Title), when))
}

// msgAccountRefused: Webex refused the organizer's own account for a call (FailureAccount);
// the connection is forgotten. create: a meeting to create, which « oui » tries again.
func msgAccountRefused(l nlu.Lang, create bool) string {
	why := t(l,
		"l'accès que vous avez donné à Relais ne le permet pas (une permission manque ou a été retirée), ou votre compte ne peut pas organiser de rencontres sur ce site.",
		"the access you gave Relais doesn't allow it (a permission is missing or was withdrawn), or your account can't host meetings on this site.")
	if create {
		return t(l,
			"Webex a refusé de programmer la rencontre avec votre compte Webex : "+why+" Rien n'a été créé. J'ai oublié cette connexion : répondez « oui » pour connecter votre compte de nouveau (acceptez toutes les permissions demandées) et réessayer, ou « annuler ».",
			"Webex refused to schedule the meeting with your Webex account: "+why+" Nothing was created. I've forgotten that connection: answer \"yes\" to connect your account again (accept every permission asked) and try again, or \"cancel\".")
	}
	return t(l,
		"Webex a refusé d'agir avec votre compte Webex : "+why+" Rien n'a été fait. J'ai oublié cette connexion : refaites votre demande pour connecter votre compte de nouveau (acceptez toutes les permissions demandées).",
		"Webex refused to act with your Webex account: "+why+" Nothing was done. I've forgotten that connection: ask again to connect your account again (accept every permission asked).")
}
