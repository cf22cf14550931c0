#!/bin/bash
# prep.sh DIR JAR: copies JAR to DIR/kpsim.jar and makes DIR/kpsim.jsa as ./kpsim's train() does
set -e
d=$1; mkdir -p $d; cp $2 $d/kpsim.jar; cd $d; d=$(pwd)
java -XX:DumpLoadedClassList=classes.txt -cp $d/kpsim.jar io.kpsim.cli.ClassDataTraining >train.log 2>&1
java -Xshare:dump -XX:SharedClassListFile=classes.txt -XX:SharedArchiveFile=kpsim.jsa -cp $d/kpsim.jar >>train.log 2>&1
java -XX:SharedArchiveFile=kpsim.jsa -Xshare:on -jar $d/kpsim.jar --version
