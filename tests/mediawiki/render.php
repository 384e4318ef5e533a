<?php
/**
 * MediaWiki's own reading of wikitext, for the tests' oracle.
 *
 * Reads one JSON string (a wikitext) per line on standard input and writes,
 * for each, one line of JSON: the pre-save-transformed text ("pst", what an
 * edit stores), the preprocessor's tree of it as XML ("dom": templates and
 * their parameters as MediaWiki sees them) and its HTML ("html"), or
 * {"error": ...}.  One PHP start serves a whole test session.
 *
 * A maintenance script of a throw-away wiki:
 *   php render.php --conf /path/to/LocalSettings.php
 */
$IP = getenv( 'MW_INSTALL_PATH' ) ?: '/usr/share/mediawiki';
require_once "$IP/maintenance/Maintenance.php";

use MediaWiki\MediaWikiServices;

class WikiplainRender extends Maintenance {
	public function execute() {
		$this->addLanguageLinks();
		$factory = MediaWikiServices::getInstance()->getParserFactory();
		$title = Title::newFromText( 'Wikiplain oracle' );
		$user = User::newFromName( '127.0.0.1', false );
		while ( ( $line = fgets( STDIN ) ) !== false ) {
			try {
				$text = json_decode( $line, false, 4, JSON_THROW_ON_ERROR );
				$options = ParserOptions::newFromAnon();
				$options->setOption( 'enableLimitReport', false );
				// A fresh parser each time: no state (references, counters) carries over.
				$parser = $factory->create();
				$pst = $parser->preSaveTransform( $text, $title, $user, $options );
				$parser->startExternalParse( $title, $options, Parser::OT_HTML );
				$dom = $parser->preprocessToDom( $pst )->__toString();
				$html = $factory->create()->parse( $pst, $title, $options )->getText( [
					'allowTOC' => false,
					'enableSectionEditLinks' => false,
					'unwrap' => true,
				] );
				$result = [ 'pst' => $pst, 'dom' => $dom, 'html' => $html ];
			} catch ( Throwable $e ) {
				$result = [ 'error' => get_class( $e ) . ': ' . $e->getMessage() ];
			}
			echo json_encode( $result, JSON_UNESCAPED_UNICODE | JSON_INVALID_UTF8_SUBSTITUTE ), "\n";
			fflush( STDOUT );
		}
	}

	/**
	 * Every language code as an interwiki prefix, as on Wikipedia, so that
	 * [[de:Frankreich]] is a language link (gone from the text), not a link.
	 */
	private function addLanguageLinks() {
		$services = MediaWikiServices::getInstance();
		$codes = array_keys( $services->getLanguageNameUtils()->getLanguageNames() );
		$rows = [];
		foreach ( $codes as $code ) {
			$rows[] = [
				'iw_prefix' => $code,
				'iw_url' => "https://$code.wikipedia.org/wiki/$1",
				'iw_api' => '',
				'iw_wikiid' => '',
				'iw_local' => 0,
				'iw_trans' => 0,
			];
		}
		$dbw = $services->getDBLoadBalancer()->getConnection( DB_PRIMARY );
		$dbw->insert( 'interwiki', $rows, __METHOD__, [ 'IGNORE' ] );
	}
}

$maintClass = WikiplainRender::class;
require_once RUN_MAINTENANCE_IF_MAIN;
