/** Start-up behaviour: the first superuser, the token secret, the rules file, and the production-mode refusals. */
package dev.nanodb.startup;
